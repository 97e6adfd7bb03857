"""mail log keeps its own redacted copy of each message and the leads it is about

Adds mail_messages.body_text (the log's copy of the text part, secrets replaced by
"[borttaget]") and mail_message_leads (the leads a message is about). The log never
stored bodies before, so existing rows get no copy (the admin page says so); their
subjects are redacted with the same safety-net patterns as app/mail/redaction.py
(copied here so that later changes there do not change this migration). Follow-up
reminders named the codename in the subject ("… (codename)"): existing reminders are
linked to every lead of that codename, and one whose lead cannot be found keeps no
subject, so that an old reminder about a confidential lead stays concealed.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 01:00:00

"""
import re

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

REDACTED = "[borttaget]"
_URL_BODY = r"[^\s<>\"')\]]*"
_SECRET_ROUTE = re.compile(
    r"(?:https?://[^\s<>\"']*?)?"
    r"(?:/(?:reset|invitation)/[^\s<>\"'/?#]+|/calendar/[^\s<>\"'/]+\.ics)" + _URL_BODY,
    re.IGNORECASE,
)
_URL = re.compile(r"https?://" + _URL_BODY, re.IGNORECASE)
_TOKEN_QUERY = re.compile(r"[?&#;](?:[\w.-]*(?:token|secret|key|signature|sig|code|auth)[\w.-]*)=",
                          re.IGNORECASE)
_TOKEN_SEGMENT = re.compile(r"/(?=[A-Za-z0-9._~-]*\d)(?=[A-Za-z0-9._~-]*[A-Za-z])"
                            r"[A-Za-z0-9._~-]{20,}(?=[/?#]|$)")
_API_TOKEN = re.compile(r"\betb_[A-Za-z0-9_-]{16,}")

mail_messages = sa.table('mail_messages', sa.column('id', sa.Integer),
                         sa.column('kind', sa.String), sa.column('subject', sa.String))
mail_message_leads = sa.table('mail_message_leads', sa.column('mail_message_id', sa.Integer),
                              sa.column('lead_id', sa.Integer))
leads = sa.table('leads', sa.column('id', sa.Integer), sa.column('codename', sa.String))


def _redact_url(match):
    url = match.group(0)
    if _TOKEN_QUERY.search(url) or _TOKEN_SEGMENT.search(url.split("://", 1)[-1]):
        return REDACTED
    return url


def redact(text):
    text = _SECRET_ROUTE.sub(REDACTED, text)
    text = _URL.sub(_redact_url, text)
    return _API_TOKEN.sub(REDACTED, text)


def upgrade():
    op.create_table('mail_message_leads',
    sa.Column('mail_message_id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_mail_message_leads_lead_id_leads')),
    sa.ForeignKeyConstraint(['mail_message_id'], ['mail_messages.id'], name=op.f('fk_mail_message_leads_mail_message_id_mail_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('mail_message_id', 'lead_id', name=op.f('pk_mail_message_leads'))
    )
    with op.batch_alter_table('mail_message_leads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_message_leads_lead_id'), ['lead_id'], unique=False)

    with op.batch_alter_table('mail_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_text', sa.Text(), nullable=True))

    connection = op.get_bind()
    by_codename = {}
    for lead_id, codename in connection.execute(sa.select(leads.c.id, leads.c.codename)):
        by_codename.setdefault(codename, []).append(lead_id)
    rows = connection.execute(
        sa.select(mail_messages.c.id, mail_messages.c.kind, mail_messages.c.subject)).all()
    for message_id, kind, subject in rows:
        redacted = redact(subject or "")
        if kind == 'follow_up_reminder':
            found = sorted({lead_id for codename, ids in by_codename.items()
                            if (subject or "").endswith(f"({codename})") for lead_id in ids})
            if found:
                connection.execute(sa.insert(mail_message_leads), [
                    {'mail_message_id': message_id, 'lead_id': lead_id} for lead_id in found])
            else:
                redacted = REDACTED
        if redacted != subject:
            connection.execute(sa.update(mail_messages).where(mail_messages.c.id == message_id)
                               .values(subject=redacted))


def downgrade():
    with op.batch_alter_table('mail_messages', schema=None) as batch_op:
        batch_op.drop_column('body_text')

    with op.batch_alter_table('mail_message_leads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_message_leads_lead_id'))

    op.drop_table('mail_message_leads')
