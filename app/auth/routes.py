from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import service
from app.auth.forms import LoginForm, ProfileForm, ResetRequestForm, SetPasswordForm
from app.redirects import safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = service.authenticate(form.email.data, form.password.data)
        except service.LoginLocked:
            flash(_("Too many failed attempts. The account is locked for 15 minutes."), "danger")
            return render_template("auth/login.html", form=form), 429
        if user is None:
            flash(_("Wrong e-mail or password."), "danger")
            return render_template("auth/login.html", form=form), 200
        login_user(user, remember=form.remember.data)
        return redirect(safe_next(request.args.get("next"), url_for("main.index")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/reset", methods=["GET", "POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        sent = service.send_password_reset(form.email.data)
        if sent is not None and sent.failed:
            # Tells that the address has an account, but only while mail is broken;
            # a silent failure would leave the user waiting for nothing.
            flash(_("The e-mail could not be sent just now. Try again in a while; if it keeps "
                    "failing, contact your administrator."), "danger")
            return render_template("auth/reset_request.html", form=form), 503
        flash(_("If the address belongs to an account, a link to set a new password is on its "
                "way. The link is valid for one hour."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


def _set_password_page(token: str, purpose: service.TokenPurpose, template: str):
    user = service.user_for_password_token(token, purpose)
    if user is None:
        flash(_("The link is invalid, has been used or has expired. Ask for a new one."),
              "danger")
        return redirect(url_for("auth.reset_request"))
    form = SetPasswordForm()
    if form.validate_on_submit():
        service.set_password(user, form.password.data)
        flash(_("Your password is set. Log in with it."), "success")
        return redirect(url_for("auth.login"))
    return render_template(template, form=form, user=user)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    return _set_password_page(token, service.RESET, "auth/reset_password.html")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    return _set_password_page(token, service.INVITATION, "auth/invitation.html")


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if not form.is_submitted():
        form.weekly_digest.data = not current_user.digest_opt_out
    if form.validate_on_submit():
        service.update_user(current_user, current_user, name=form.name.data.strip(),
                            locale=form.locale.data,
                            digest_opt_out=not form.weekly_digest.data)
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form)
