"""Company records belong to a municipality, contacts to the lead they were added on, and
codenames are unique per municipality (issue 12).

Data rules of the upgrade:
- a company used by leads of several municipalities is split: the municipality of its
  oldest lead (lowest received_on, then id) keeps the row, every other municipality gets a
  copy (name, name key, organisation number, country, sector, website; version 1) and its
  leads point at that copy;
- a contact goes with the lead it was added on: the lead_id of its "contact.created" audit
  event where that lead still has the contact's company, else the company's oldest lead;
  it moves to the copy of that lead's municipality;
- a company without leads belongs to the municipality of the user who last changed or
  created it according to the audit trail (company.*, contact.created, lead.created/updated
  naming it), else to Örebro; its contacts keep lead_id NULL (seen only in that
  municipality).

The downgrade drops the columns and restores the global codename constraint (it fails if
two municipalities have since used the same codename); split copies stay separate companies.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 01:00:00

"""
from __future__ import annotations

import json
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

COPIED = ('name', 'name_key', 'orgnr', 'country', 'sector', 'website')
FALLBACK_MUNICIPALITY = 'orebro'


def _tables():
    meta = sa.MetaData()
    companies = sa.Table('companies', meta, sa.Column('id', sa.Integer, primary_key=True),
                         sa.Column('municipality_id', sa.Integer),
                         *(sa.Column(name, sa.String) for name in COPIED),
                         sa.Column('created_at', sa.DateTime), sa.Column('version', sa.Integer))
    contacts = sa.Table('contacts', meta, sa.Column('id', sa.Integer, primary_key=True),
                        sa.Column('company_id', sa.Integer), sa.Column('lead_id', sa.Integer))
    leads = sa.Table('leads', meta, sa.Column('id', sa.Integer, primary_key=True),
                     sa.Column('company_id', sa.Integer), sa.Column('municipality_id', sa.Integer),
                     sa.Column('received_on', sa.Date))
    events = sa.Table('audit_events', meta, sa.Column('id', sa.Integer, primary_key=True),
                      sa.Column('actor_id', sa.Integer), sa.Column('action', sa.String),
                      sa.Column('object_type', sa.String), sa.Column('object_id', sa.Integer),
                      sa.Column('after', sa.Text))
    users = sa.Table('users', meta, sa.Column('id', sa.Integer, primary_key=True),
                     sa.Column('municipality_id', sa.Integer))
    municipalities = sa.Table('municipalities', meta, sa.Column('id', sa.Integer, primary_key=True),
                              sa.Column('slug', sa.String))
    return companies, contacts, leads, events, users, municipalities


def _json(value):
    if value is None or isinstance(value, dict):
        return value
    try:
        loaded = json.loads(value)
    except (TypeError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None


def _split_companies(bind) -> None:
    companies, contacts, leads, events, users, municipalities = _tables()
    fallback = bind.scalar(sa.select(municipalities.c.id)
                           .where(municipalities.c.slug == FALLBACK_MUNICIPALITY))
    # Each company's leads, oldest first.
    leads_of: dict[int, list] = defaultdict(list)
    for row in bind.execute(sa.select(leads.c.id, leads.c.company_id, leads.c.municipality_id)
                            .where(leads.c.company_id.is_not(None))
                            .order_by(leads.c.received_on, leads.c.id)):
        leads_of[row.company_id].append(row)
    lead_rows = {row.id: row for rows in leads_of.values() for row in rows}
    user_municipality = dict(bind.execute(sa.select(users.c.id, users.c.municipality_id)).all())

    # What the audit trail says: the lead each contact was added on, and who last touched
    # each company.
    contact_lead: dict[int, int] = {}
    company_actor: dict[int, int] = {}
    interesting = ('contact.created', 'lead.created', 'lead.updated', 'company.updated',
                   'company.merged')
    for event in bind.execute(sa.select(events.c.actor_id, events.c.action, events.c.object_type,
                                        events.c.object_id, events.c.after)
                              .where(events.c.action.in_(interesting)).order_by(events.c.id)):
        after = _json(event.after) or {}
        if event.action == 'contact.created' and isinstance(after.get('lead_id'), int):
            contact_lead[event.object_id] = after['lead_id']
        company_id = event.object_id if event.object_type == 'company' else after.get('company_id')
        if isinstance(company_id, int) and event.actor_id is not None:
            company_actor[company_id] = event.actor_id

    for company in bind.execute(sa.select(companies)).all():
        own_leads = leads_of.get(company.id, [])
        if not own_leads:
            actor = company_actor.get(company.id)
            municipality_id = user_municipality.get(actor) or fallback
            bind.execute(sa.update(companies).where(companies.c.id == company.id)
                         .values(municipality_id=municipality_id))
            continue
        copy_of = {own_leads[0].municipality_id: company.id}
        for lead in own_leads[1:]:
            if lead.municipality_id in copy_of:
                continue
            copy_of[lead.municipality_id] = bind.execute(
                sa.insert(companies).values(
                    municipality_id=lead.municipality_id, created_at=company.created_at,
                    version=1, **{name: getattr(company, name) for name in COPIED})
                .returning(companies.c.id)).scalar_one()
        bind.execute(sa.update(companies).where(companies.c.id == company.id)
                     .values(municipality_id=own_leads[0].municipality_id))
        for municipality_id, copy_id in copy_of.items():
            if copy_id != company.id:
                bind.execute(sa.update(leads).where(leads.c.company_id == company.id,
                                                    leads.c.municipality_id == municipality_id)
                             .values(company_id=copy_id))
        for contact in bind.execute(sa.select(contacts.c.id).where(
                contacts.c.company_id == company.id)).all():
            lead = lead_rows.get(contact_lead.get(contact.id))
            if lead is None or lead.company_id != company.id:
                lead = own_leads[0]
            bind.execute(sa.update(contacts).where(contacts.c.id == contact.id).values(
                lead_id=lead.id, company_id=copy_of[lead.municipality_id]))


# SQLite: migrations/env.py switches foreign keys off while migrations run, so the
# batch rebuilds of leads and companies do not fire ON DELETE actions.


def upgrade():
    _upgrade()


def downgrade():
    _downgrade()


def _upgrade():
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('municipality_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lead_id', sa.Integer(), nullable=True))

    _split_companies(op.get_bind())

    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.alter_column('municipality_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_companies_municipality_id'), ['municipality_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_companies_municipality_id_municipalities'),
                                    'municipalities', ['municipality_id'], ['id'])
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_lead_id'), ['lead_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_contacts_lead_id_leads'), 'leads',
                                    ['lead_id'], ['id'], ondelete='CASCADE')
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_leads_codename'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_leads_municipality_id_codename'),
                                          ['municipality_id', 'codename'])


def _downgrade():
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_leads_municipality_id_codename'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_leads_codename'), ['codename'])
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contacts_lead_id_leads'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_contacts_lead_id'))
        batch_op.drop_column('lead_id')
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_companies_municipality_id_municipalities'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_companies_municipality_id'))
        batch_op.drop_column('municipality_id')
