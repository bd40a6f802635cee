"""The privacy page, and a person's rights over their data: download it, delete the account."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Template

from server.accounts.refusals import AccountError
from server.auth.guards import signed_in, user_of
from server.auth.routes import expired_session_cookie
from server.privacy.erasure import Blockers, DeletionRefused, delete_account, deletion_blockers
from server.privacy.export import personal_data, to_json
from server.web import i18n
from server.web.i18n import gettext as _
from server.web.refusals import refused
from server.web.render import render

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
NO_STORE = {"Cache-Control": "no-store"}


def confirmation_words() -> set[str]:
    """The word to type, in the page's language; the other language's word is taken too."""
    words = set()
    for locale in i18n.LOCALES:
        with i18n.using_locale(locale):
            words.add(_("DELETE").casefold())
    return words


@get("/privacy", sync_to_thread=False)
def privacy_page(request: Request[Any, Any, Any]) -> Template:
    return render(request, "pages/privacy.html")


class PersonalDataController(Controller):
    path = "/account"
    guards = [signed_in]

    @get("/data")
    async def download(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        document = await personal_data(user_of(request).account_id)
        filename = f"clothingline-data-{i18n.local_today().isoformat()}.json"
        return Response(
            content=to_json(document),
            media_type="application/json; charset=utf-8",
            headers={**NO_STORE, "Content-Disposition": f"attachment; filename={filename}"},
        )

    def deletion_page(
        self,
        request: Request[Any, Any, Any],
        blockers: Blockers,
        *,
        refusal: AccountError | None = None,
        status_code: int | None = None,
    ) -> Template:
        return refused(
            request,
            refusal,
            "accounts/delete.html",
            status_code=status_code,
            headers=NO_STORE,
            user=user_of(request),
            blockers=blockers,
            error=None,
        )

    @get("/delete")
    async def confirm_deletion(self, request: Request[Any, Any, Any]) -> Template:
        user = user_of(request)
        return self.deletion_page(request, await deletion_blockers(user.account_id, user.role))

    @post("/delete", status_code=200)
    async def delete(self, request: Request[Any, Any, Any], data: FormData) -> Template:
        user = user_of(request)
        if data.get("confirm", "").strip().casefold() not in confirmation_words():
            blockers = await deletion_blockers(user.account_id, user.role)
            refusal = AccountError("confirm_deletion", "confirm", word=_("DELETE"))
            return self.deletion_page(request, blockers, refusal=refusal)
        try:
            await delete_account(user.account_id, request.app.state.media)
        except DeletionRefused as refusal:
            # Not a text: the page lists what is left to finish.
            return self.deletion_page(request, refusal.blockers, status_code=409)
        request.scope["user"] = None  # the page below is drawn signed out
        page = render(
            request, "accounts/deleted.html", headers={**NO_STORE, "Clear-Site-Data": '"cache"'}
        )
        page.set_cookie(expired_session_cookie(request))
        return page
