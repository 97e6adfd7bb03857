from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import service
from app.auth.forms import (
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    ResetRequestForm,
    SetPasswordForm,
)
from app.redirects import safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = service.authenticate(form.email.data, form.password.data, request.remote_addr)
        except service.LoginThrottled as throttled:
            return _throttled_page("auth/login.html", throttled, form=form)
        if user is None:
            flash(_("Wrong e-mail or password."), "danger")
            return render_template("auth/login.html", form=form), 200
        login_user(user, remember=form.remember.data)
        return redirect(safe_next(request.args.get("next"), url_for("main.index")))
    return render_template("auth/login.html", form=form)


def _throttled_page(template: str, throttled: service.LoginThrottled, **context):
    """The one answer to a throttled attempt: 429 with Retry-After, whoever the e-mail is."""
    minutes = max(1, -(-throttled.retry_after // 60))
    flash(_("Too many failed attempts. Try again in %(minutes)d minutes.", minutes=minutes),
          "danger")
    response = make_response(render_template(template, **context), 429)
    response.headers["Retry-After"] = str(throttled.retry_after)
    return response


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


@bp.route("/profile/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            changed = service.change_password(current_user, form.current.data,
                                              form.password.data, request.remote_addr)
        except service.LoginThrottled as throttled:
            return _throttled_page("auth/change_password.html", throttled, form=form)
        if not changed:
            form.current.errors.append(_("The current password is wrong."))
        else:
            # Every session ended with the change; this one goes on under the new login id.
            login_user(current_user._get_current_object(), remember=_has_remember_cookie())
            flash(_("Your password is changed. You are logged out everywhere else."),
                  "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/profile/sessions/revoke", methods=["POST"])
@login_required
def revoke_sessions():
    service.sign_out_everywhere(current_user)
    logout_user()
    flash(_("You are logged out everywhere, also here."), "info")
    return redirect(url_for("auth.login"))


def _has_remember_cookie() -> bool:
    return bool(request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME",
                                                           "remember_token")))
