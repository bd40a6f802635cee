"""The programme admin's account tools: find people, invite them, issue enrolment links."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from server.accounts import services as accounts
from server.accounts.refusals import AccountError
from server.accounts.tables import Account, AccountStatus, Role
from server.admin import moderation, phone_claims
from server.admin.labels import verification_labels
from server.admin.refusals import AdminError
from server.auth.guards import admin_only
from server.auth.sessions import CurrentUser
from server.phones import display_phone
from server.settings import Settings
from server.web.refusals import Refused, refused
from server.web.render import render, wants_fragment

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
NO_STORE = {"Cache-Control": "no-store"}
PAGE_SIZE = 50
ACCOUNT_COLUMNS = (
    Account.id,
    Account.public_id,
    Account.name,
    Account.phone,
    Account.role,
    Account.created_at,
)


async def account_or_404(public_id: UUID) -> dict[str, Any]:
    account: dict[str, Any] | None = (
        await Account.select(*ACCOUNT_COLUMNS, Account.status)
        .where(Account.public_id == public_id)
        .first()
    )
    if account is None:
        raise NotFoundException()
    return account


def enrolment_url(request: Request[Any, Any, Any], token: str) -> str:
    settings: Settings = request.app.state.settings
    return f"{settings.public_origin}/enrol/{token}"


class AdminAccountsController(Controller):
    path = "/admin"
    guards = [admin_only]

    @get("/accounts")
    async def list_accounts(self, request: Request[Any, Any, Any]) -> Template:
        query = request.query_params.get("q", "").strip()
        status = request.query_params.get("status", "")
        rows = Account.select(
            Account.public_id, Account.name, Account.phone, Account.role, Account.status
        ).order_by(Account.created_at, ascending=False)
        if query:
            rows = rows.where(Account.name.ilike(f"%{query}%") | Account.phone.ilike(f"%{query}%"))
        if status in set(AccountStatus):
            rows = rows.where(Account.status == status)
        return render(
            request,
            "admin/accounts.html",
            block="account_list",
            accounts=await rows.limit(PAGE_SIZE),
            q=query,
            status=status,
        )

    @get("/accounts/new")
    async def new_account_form(self, request: Request[Any, Any, Any]) -> Template:
        return render(
            request, "admin/new_account.html", error=None, holder=None, form={}, roles=list(Role)
        )

    @post("/accounts", status_code=200)
    async def create_account(self, request: Request[Any, Any, Any], data: FormData) -> Template:
        admin: CurrentUser = request.scope["user"]
        try:
            _account_id, token = await accounts.create_invited_account(
                data.get("role", ""),
                data.get("name", ""),
                data.get("phone", ""),
                admin.account_id,
            )
        except AccountError as error:
            # To the admin a taken number is one held by an account they can look up.
            taken = error.code == "phone_taken"
            refusal: Refused = AdminError("number_held") if taken else error
            return refused(
                request,
                refusal,
                "admin/new_account.html",
                holder=await phone_claims.holder_of(data.get("phone", "")) if taken else None,
                form=data,
                roles=list(Role),
            )
        return render(
            request,
            "admin/enrolment_link.html",
            headers=NO_STORE,
            name=data.get("name", ""),
            url=enrolment_url(request, token),
        )

    @post("/accounts/{public_id:uuid}/enrolment-links", status_code=200)
    async def issue_enrolment_link(
        self, request: Request[Any, Any, Any], public_id: FromPath[UUID]
    ) -> Template:
        admin: CurrentUser = request.scope["user"]
        account = (
            await Account.select(Account.id, Account.name)
            .where((Account.public_id == public_id) & (Account.status != AccountStatus.DELETED))
            .first()
        )
        if account is None:
            raise NotFoundException()
        token = await accounts.issue_enrolment_link(account["id"], admin.account_id)
        return render(
            request,
            "admin/enrolment_link.html",
            headers=NO_STORE,
            name=account["name"],
            url=enrolment_url(request, token),
        )

    @get("/accounts/{public_id:uuid}")
    async def show_account(
        self, request: Request[Any, Any, Any], public_id: FromPath[UUID]
    ) -> Template:
        return await self.account_page(request, public_id)

    async def account_page(
        self,
        request: Request[Any, Any, Any],
        public_id: UUID,
        refusal: AdminError | None = None,
        refusal_key: str = "error",
        **extra: Any,
    ) -> Template:
        """The account; a refusal shows in `refusal_key`: `error` (status) or `release_error`."""
        account = await account_or_404(public_id)
        context: dict[str, Any] = {
            "error": None,
            "reason": "",
            "released": None,
            "release_error": None,
            "release_reason": "",
            **extra,
        }
        return refused(
            request,
            refusal,
            "admin/account.html",
            key=refusal_key,
            headers=NO_STORE,
            account=account,
            claim=await phone_claims.phone_claim(account),
            display_phone=display_phone,
            verification_labels=verification_labels(),
            **context,
        )

    @post("/accounts/{public_id:uuid}/release-phone", status_code=200)
    async def release_phone(
        self, request: Request[Any, Any, Any], public_id: FromPath[UUID], data: FormData
    ) -> Template:
        """Someone registered a number that is not theirs: free it for the real owner."""
        admin: CurrentUser = request.scope["user"]
        account = await account_or_404(public_id)
        try:
            phone = await phone_claims.release_phone(
                account["id"], admin.account_id, data.get("reason", "")
            )
        except AdminError as refusal:
            return await self.account_page(
                request,
                public_id,
                refusal,
                "release_error",
                release_reason=data.get("reason", ""),
            )
        return await self.account_page(request, public_id, released=display_phone(phone))

    async def change_status(
        self, request: Request[Any, Any, Any], public_id: UUID, suspend: bool, data: dict[str, str]
    ) -> Any:
        """A designer or brand (or a tailor) suspended or reinstated, with a reason."""
        admin: CurrentUser = request.scope["user"]
        account = await account_or_404(public_id)
        try:
            await moderation.set_suspended(
                account["id"], admin.account_id, suspend, data.get("reason", "")
            )
        except AdminError as refusal:
            return await self.account_page(
                request, public_id, refusal, block="row", reason=data.get("reason", "")
            )
        if not wants_fragment(request):
            return Redirect(f"/admin/accounts/{public_id}", status_code=303)
        return await self.account_page(request, public_id, block="row")

    @post("/accounts/{public_id:uuid}/suspend", status_code=303)
    async def suspend(
        self, request: Request[Any, Any, Any], public_id: FromPath[UUID], data: FormData
    ) -> Any:
        return await self.change_status(request, public_id, True, data)

    @post("/accounts/{public_id:uuid}/reinstate", status_code=303)
    async def reinstate(
        self, request: Request[Any, Any, Any], public_id: FromPath[UUID], data: FormData
    ) -> Any:
        return await self.change_status(request, public_id, False, data)
