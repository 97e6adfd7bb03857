from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.admin import health, service
from app.admin.forms import MatchWeightsForm, UserEditForm, UserInviteForm
from app.auth import service as auth_service
from app.auth.models import Role, User
from app.auth.permissions import admin_required
from app.candidates import weights
from app.candidates.matching import DEFAULT_WEIGHTS
from app.core.service import all_municipalities, municipality_by_slug
from app.extensions import db
from app.flashing import flash_field_errors
from app.forms import municipality_choices
from app.input_rules import FieldErrors, whole_number
from app.locking import StaleVersion, submitted_version
from app.submissions import AlreadySaved, already_saved, earlier, recording, violates

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@admin_required
def index():
    return render_template("admin/index.html", status=service.admin_status())


@bp.route("/users")
@admin_required
def users():
    """Every account; ?idle=<days>: the active ones without a login for that long (the
    start page's health panel links here)."""
    idle = whole_number(request.args.get("idle"), digits=4)
    statement = sa.select(User).order_by(User.name)
    if idle:
        statement = statement.where(health.idle_criterion(idle))
    return render_template("admin/users.html", users=list(db.session.scalars(statement)),
                           idle=idle)


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def new_user():
    form = UserInviteForm()
    form.municipality.choices = municipality_choices(all_municipalities())
    saved = earlier(current_user, form) if form.is_submitted() else None
    if saved is not None:
        return already_saved(url_for("admin.edit_user", user_id=saved.object_id))
    if form.validate_on_submit():
        if auth_service.find_user_by_email(form.email.data) is not None:
            form.email.errors.append(_("There is already an account with this e-mail."))
            return render_template("admin/user_form.html", form=form, user=None)
        try:
            with recording(current_user, form, User):
                user = auth_service.create_user(
                    email=form.email.data,
                    name=form.name.data,
                    municipality=municipality_by_slug(form.municipality.data),
                    role=Role(form.role.data),
                    locale=form.locale.data,
                    actor=current_user,
                    invite=False,
                )
        except AlreadySaved as first:
            return already_saved(url_for("admin.edit_user", user_id=first.submission.object_id))
        except IntegrityError as error:  # a concurrent request took the e-mail address
            if not violates(error, User, "email"):
                raise
            form.email.errors.append(_("There is already an account with this e-mail."))
        else:
            if not _flash_invitation(user, auth_service.send_invitation(user)):
                return redirect(url_for("admin.edit_user", user_id=user.id))
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def edit_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = UserEditForm(obj=user)
    form.municipality.choices = municipality_choices(all_municipalities())
    if not form.is_submitted():
        form.municipality.data = user.municipality.slug
        form.role.data = user.role.value
    if form.validate_on_submit():
        try:
            auth_service.update_user(
                user,
                current_user,
                name=form.name.data.strip(),
                municipality=municipality_by_slug(form.municipality.data),
                role=Role(form.role.data),
                locale=form.locale.data,
                active=form.active.data,
            )
        except auth_service.AccountChangeRefused as refused:
            flash(refused.message, "danger")
            return render_template("admin/user_form.html", form=form, user=user), 409
        flash(_("The account is saved."), "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


def _flash_invitation(user: User, sent) -> bool:
    if sent.failed:
        flash(_("The invitation to %(email)s could not be sent (%(error)s). The account exists; "
                "send the invitation again once e-mail works.", email=user.email, error=sent.error),
              "danger")
        return False
    flash(_("%(email)s was created and invited by e-mail.", email=user.email), "success")
    return True


@bp.route("/users/<int:user_id>/invitation", methods=["POST"])
@admin_required
def resend_invitation(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    if user.password_hash is not None or not user.active:
        abort(409)
    sent = auth_service.send_invitation(user)
    if sent.failed:
        flash(_("The invitation to %(email)s could not be sent (%(error)s).", email=user.email,
                error=sent.error), "danger")
    else:
        flash(_("The invitation was sent again to %(email)s.", email=user.email), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/match-weights", methods=["GET", "POST"])
@admin_required
def match_weights():
    """The weights of the nice-to-have criteria in the match score (the README lists them)."""
    stored = weights.settings()
    form = MatchWeightsForm()
    if not form.is_submitted():
        for key, value in weights.weights_of(stored).items():
            form[key].data = value
        form.version.data = str(stored.version)
    if form.validate_on_submit():
        try:
            weights.save_weights(current_user, submitted_version(form.version.data),
                                 form.weights())
        except FieldErrors as invalid:
            db.session.rollback()
            flash_field_errors(invalid)
        except StaleVersion:
            db.session.rollback()
            flash(_("Someone else changed the weights in the meantime. These are the saved "
                    "weights; make your change again."), "danger")
            return redirect(url_for("admin.match_weights"))
        else:
            flash(_("The match weights are saved."), "success")
            return redirect(url_for("admin.match_weights"))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/match_weights.html", form=form,
                           defaults=DEFAULT_WEIGHTS), status
