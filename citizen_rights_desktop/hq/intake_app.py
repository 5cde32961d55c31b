"""Headquarters' intake service as an ASGI application (Starlette; issue 18): tus 1.0.0 uploads of
report bundles from enrolled offices, and headquarters' signed receipts.

    OPTIONS /files/            204, what the service speaks (no certificate needed)
    POST    /files/            201 Location: /files/<id>  (Upload-Length, Upload-Metadata: sha256, filename)
    HEAD    /files/<id>        200 Upload-Offset, Upload-Length (+ Upload-Receipt once complete)
    PATCH   /files/<id>        204 Upload-Offset (+ Upload-Receipt: /receipts/<sha256> on the last byte)
    DELETE  /files/<id>        204 (termination)
    GET     /receipts/<sha256> 200 the signed receipt (application/json)
    GET     /health            200 {"status": "ok", "hq_id", "uploads_in_flight", "free_bytes"}

Every refusal is JSON ``{"error": code, "message_en", "message_fa"}`` (``intake_limits``). The
office is the one headquarters issued the TLS client certificate to (``intake_tls`` puts it in
the request's scope); ``intake_door`` checks it on every request before any byte is read.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import logging
import secrets
import sqlite3
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from citizen_rights_desktop.hq import intake_door as door
from citizen_rights_desktop.hq import intake_limits as refusals
from citizen_rights_desktop.hq import intake_tus as tus
from citizen_rights_desktop.hq.identity import HQIdentity
from citizen_rights_desktop.hq.intake_files import IntakeFolder, is_disk_full
from citizen_rights_desktop.hq.intake_import import Finished, IntakeImporter
from citizen_rights_desktop.hq.intake_limits import IntakeLimits, IntakeRefusal
from citizen_rights_desktop.hq.intake_worker import DatabaseThread
from storage import intake_store

GROUP_COMMIT = 32  # finished uploads imported in one commit, at most
log = logging.getLogger("citizen_rights.intake")


def _error(refusal: IntakeRefusal, tus_response: bool = True) -> JSONResponse:
    headers = dict(refusal.headers)
    if refusal.retry_after is not None:
        headers["Retry-After"] = str(refusal.retry_after)
    if tus_response:
        headers["Tus-Resumable"] = tus.TUS_VERSION
    return JSONResponse(refusal.body(), status_code=refusal.status, headers=headers)


def _answers(tus_response: bool = True):
    """A handler whose refusals become JSON answers; anything unforeseen a logged 500, never a traceback to the office."""

    def wrap(handler):
        @functools.wraps(handler)
        async def answer(self: IntakeService, request: Request) -> Response:
            try:
                return await handler(self, request)
            except IntakeRefusal as refusal:
                if refusal.status not in (404, 409, 423):
                    client = request.client.host if request.client else "?"
                    log.info("refused %s %s from %s: %s (%s)", request.method, request.url.path, client, refusal.code, refusal.message_en)
                return _error(refusal, tus_response)
            except sqlite3.OperationalError as exc:  # the database's disk is full, or it is locked too long: nothing was written
                log.error("%s %s: the database refused: %s", request.method, request.url.path, exc)
                return _error(refusals.disk_full(self.limits) if "full" in str(exc) else refusals.try_later(), tus_response)
            except Exception:
                log.exception("%s %s failed", request.method, request.url.path)
                return _error(refusals.server_error(), tus_response)

        return answer

    return wrap


class IntakeService:
    def __init__(self, database_path: str | Path, hq: HQIdentity, folder: IntakeFolder, limits: IntakeLimits | None = None,
                 forms: Path | None = None):  # fmt: skip
        self.hq = hq
        self.folder = folder
        self.limits = limits or IntakeLimits()
        self.door = DatabaseThread(database_path, "intake-door", synced_commits=False)
        self.imports = DatabaseThread(database_path, "intake-import")
        self.importer = IntakeImporter(hq, folder, forms)
        self._locks: dict[str, asyncio.Lock] = {}
        self._lock_users: dict[str, int] = {}  # requests holding or waiting for each lock: it goes with the last
        self._sweeper: asyncio.Task | None = None
        self._finishing: list[tuple[intake_store.Upload, asyncio.Future]] = []  # finished uploads waiting for the import thread
        self._draining = False

    # --- who and which upload ------------------------------------------------------------------

    async def office(self, request: Request) -> str:
        der = request.scope.get("extensions", {}).get("tls", {}).get("client_cert_der")
        if not der:
            raise refusals.no_certificate()
        return await self.door.run(door.office_of, der)

    async def upload(self, request: Request, office: str) -> intake_store.Upload:
        upload_id = request.path_params["upload_id"]
        if not tus.UPLOAD_ID.match(upload_id):
            raise refusals.not_found()
        return await self.door.run(door.upload_of, upload_id, office)

    @contextlib.asynccontextmanager
    async def locked(self, upload_id: str):
        """One request at a time writes to (or removes) an upload; another waits a little, then 423."""
        lock = self._locks.setdefault(upload_id, asyncio.Lock())
        self._lock_users[upload_id] = self._lock_users.get(upload_id, 0) + 1
        try:
            try:
                await asyncio.wait_for(lock.acquire(), self.limits.lock_wait_seconds)
            except TimeoutError:
                raise refusals.upload_locked() from None
            try:
                yield
            finally:
                lock.release()
        finally:
            self._lock_users[upload_id] -= 1
            if not self._lock_users[upload_id]:
                del self._lock_users[upload_id], self._locks[upload_id]

    def _expires(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=self.limits.expire_seconds)

    # --- tus -------------------------------------------------------------------------------------

    @_answers()
    async def options(self, request: Request) -> Response:
        headers = tus.tus_headers(Tus_Version=tus.TUS_VERSION, Tus_Extension=tus.TUS_EXTENSIONS, Tus_Max_Size=self.limits.max_bundle_bytes)
        return Response(status_code=204, headers=headers)

    @_answers()
    async def create(self, request: Request) -> Response:
        tus.check_version(request.headers)
        office = await self.office(request)
        length = tus.parse_length(request.headers.get("upload-length"))
        if length > self.limits.max_bundle_bytes:
            raise refusals.too_large(length, self.limits)
        metadata = tus.parse_metadata(request.headers.get("upload-metadata"))
        now, expires = dt.datetime.now(dt.UTC), self._expires()
        upload = intake_store.Upload(secrets.token_hex(16), office, length, metadata["sha256"], metadata,
                                     intake_store.utc_text(now), intake_store.utc_text(expires), intake_store.OPEN)  # fmt: skip
        await self.door.run(door.create_upload, upload, self.folder, self.limits)
        log.info("upload %s created: office %s, %d bytes, bundle %s", upload.upload_id, office, length, upload.sha256)
        return Response(status_code=201, headers=tus.tus_headers(Location=f"/files/{upload.upload_id}", Upload_Expires=tus.http_date(expires)))

    @_answers()
    async def head(self, request: Request) -> Response:
        tus.check_version(request.headers)
        upload = await self.upload(request, await self.office(request))
        headers = tus.tus_headers(Upload_Length=upload.length, Cache_Control="no-store")
        if upload.metadata:
            headers["Upload-Metadata"] = tus.encode_metadata(upload.metadata)
        if upload.state == intake_store.COMPLETE:
            headers.update({"Upload-Offset": str(upload.length), "Upload-Receipt": f"/receipts/{upload.sha256}"})
            return Response(status_code=200, headers=headers)
        offset = self.folder.size(upload.upload_id)
        if offset is None:  # its file went away (removed by hand, a crash): the office starts again
            await self.door.run(intake_store.mark_expired, upload.upload_id)
            raise refusals.gone()
        headers.update({"Upload-Offset": str(offset), "Upload-Expires": tus.http_date(intake_store.parse_utc(upload.expires_at))})
        return Response(status_code=200, headers=headers)

    @_answers()
    async def patch(self, request: Request) -> Response:
        tus.check_version(request.headers)
        if not tus.is_offset_stream(request.headers.get("content-type")):
            raise refusals.wrong_content_type()
        offset = tus.parse_offset(request.headers.get("upload-offset"))
        content_length = tus.parse_content_length(request.headers.get("content-length"))
        office = await self.office(request)
        upload = await self.upload(request, office)
        async with self.locked(upload.upload_id):
            upload = await self.door.run(door.upload_of, upload.upload_id, office)  # as it is now, after any wait
            if upload.state == intake_store.COMPLETE:
                if offset != upload.length:
                    raise refusals.offset_mismatch(upload.length)
                return Response(status_code=204, headers=tus.tus_headers(Upload_Offset=upload.length, Upload_Receipt=f"/receipts/{upload.sha256}"))
            current = self.folder.size(upload.upload_id)
            if current is None:
                await self.door.run(intake_store.mark_expired, upload.upload_id)
                raise refusals.gone()
            if offset != current:
                raise refusals.offset_mismatch(current)
            if content_length is not None and current + content_length > upload.length:
                raise refusals.beyond_length()
            held, whole = await self._receive(request, upload, current)
            headers = tus.tus_headers(Upload_Offset=held)
            if not whole or held < upload.length:
                expires = self._expires()  # (a finished upload needs no new expiry: one synced commit less)
                await self.door.run(intake_store.touch, upload.upload_id, intake_store.utc_text(expires))
                headers["Upload-Expires"] = tus.http_date(expires)
                return Response(status_code=204, headers=headers)
            finished = await self._finish(upload)
            log.info("upload %s completed: office %s, bundle %s, receipt %s%s: %s%s", upload.upload_id, office, upload.sha256,
                     finished.stored.receipt_id, " (given before)" if finished.reused else "", finished.status,
                     f" ({finished.reason_code})" if finished.reason_code else "")  # fmt: skip
            headers["Upload-Receipt"] = f"/receipts/{upload.sha256}"
            return Response(status_code=204, headers=headers)

    async def _finish(self, upload: intake_store.Upload) -> Finished:
        """The upload's receipt, from the import thread. Uploads finishing meanwhile are imported
        together, in one synced commit (group commit): under load the commit's fsync, not the
        checks, bounded the rate. Each still gets its own answer, once the commit is done."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future = loop.create_future()
        self._finishing.append((upload, future))
        if not self._draining:
            self._draining = True
            loop.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self._finishing:
                batch, self._finishing = self._finishing[:GROUP_COMMIT], self._finishing[GROUP_COMMIT:]
                try:
                    results = await self.imports.run(self.importer.finish_many, [upload for upload, _ in batch])
                except Exception:  # the commit itself failed (a full disk, a lock): nothing was stored
                    log.exception("a group of %d finished uploads could not be stored now", len(batch))
                    results = [refusals.try_later() for _ in batch]
                for (_, future), result in zip(batch, results, strict=True):
                    if future.done():  # its request is gone (the line dropped): the receipt waits for the office's next ask
                        continue
                    if isinstance(result, BaseException):
                        future.set_exception(result)
                    else:
                        future.set_result(result)
        finally:
            self._draining = False

    async def _receive(self, request: Request, upload: intake_store.Upload, start: int) -> tuple[int, bool]:
        """Append the request's body to the part file: (bytes now held, whether the body came
        whole). A dropped or silent connection keeps what arrived (synced), so the office resumes
        from there; a full disk keeps what was written whole and refuses (507)."""
        appender = self.folder.appender(upload.upload_id, start)
        whole = True
        try:
            while True:
                try:
                    message = await asyncio.wait_for(request.receive(), self.limits.idle_timeout_seconds)
                except TimeoutError:
                    message = {"type": "http.disconnect"}
                if message["type"] == "http.disconnect":
                    whole = False
                    log.info("upload %s: the connection ended at %d of %d bytes", upload.upload_id, appender.position, upload.length)
                    break
                body = message.get("body", b"")
                if appender.position + len(body) > upload.length:
                    appender.cut_to_start()
                    raise refusals.beyond_length()
                if body:
                    try:
                        appender.write(body)
                    except OSError as exc:
                        await self._sync(appender)
                        if is_disk_full(exc):
                            log.error("upload %s: the disk is full at %d bytes; refused", upload.upload_id, appender.position)
                            raise refusals.disk_full(self.limits) from None
                        raise
                if not message.get("more_body", False):
                    break
            await self._sync(appender)
        finally:
            appender.close()
        return appender.position, whole

    async def _sync(self, appender) -> None:
        try:
            await asyncio.get_running_loop().run_in_executor(None, appender.sync)
        except OSError as exc:
            if is_disk_full(exc):
                raise refusals.disk_full(self.limits) from None
            raise

    @_answers()
    async def terminate(self, request: Request) -> Response:
        tus.check_version(request.headers)
        office = await self.office(request)
        upload = await self.upload(request, office)
        async with self.locked(upload.upload_id):
            if await self.door.run(intake_store.mark_terminated, upload.upload_id):
                self.folder.delete(upload.upload_id)
                log.info("upload %s terminated by office %s", upload.upload_id, office)
        return Response(status_code=204, headers=tus.tus_headers())

    # --- receipts and health -----------------------------------------------------------------

    @_answers(tus_response=False)
    async def receipt(self, request: Request) -> Response:
        office = await self.office(request)
        sha = request.path_params["sha256"]
        stored = await self.door.run(intake_store.receipt_for, sha) if tus.SHA256.match(sha) else None
        if stored is None or stored.office_id != office:
            raise refusals.no_receipt()
        return Response(stored.receipt, status_code=200, media_type="application/json", headers={"Cache-Control": "no-store"})

    @_answers(tus_response=False)
    async def health(self, request: Request) -> Response:
        figures = await self.door.run(door.health, self.folder)
        return JSONResponse({"status": "ok", "hq_id": self.hq.hq_id, **figures})

    # --- expiry ----------------------------------------------------------------------------------

    async def sweep(self) -> None:
        """Expire the uploads past their time (their files deleted), then the signed PDFs' full validation."""
        busy = {upload_id for upload_id, lock in self._locks.items() if lock.locked()}
        for upload, held in await self.door.run(door.expire_due, self.folder, dt.datetime.now(dt.UTC), busy):
            log.info("upload %s of office %s expired: %d of %d bytes had arrived; removed", upload.upload_id, upload.office_id, held, upload.length)
        checked = await self.imports.run(self.importer.validate_pdfs)
        if checked and checked.get("invalid"):
            log.warning("signed PDFs checked: %d valid, %d NOT valid (hq status lists them)", checked.get("valid", 0), checked["invalid"])

    async def _sweep_forever(self) -> None:
        strays = await self.door.run(door.remove_strays, self.folder)
        if strays:
            log.info("removed %d part file(s) no open upload owns", len(strays))
        while True:
            try:
                await self.sweep()
            except Exception:
                log.exception("the intake sweep failed; it runs again later")
            await asyncio.sleep(self.limits.sweep_seconds)

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette):
        self._sweeper = asyncio.create_task(self._sweep_forever())
        try:
            yield
        finally:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._sweeper

    def close(self) -> None:
        self.door.close()
        self.imports.close()


def create_app(service: IntakeService) -> Starlette:
    routes = [
        Route("/files/", service.options, methods=["OPTIONS"]),
        Route("/files/", service.create, methods=["POST"]),
        Route("/files", service.options, methods=["OPTIONS"]),
        Route("/files", service.create, methods=["POST"]),
        Route("/files/{upload_id}", service.head, methods=["HEAD"]),
        Route("/files/{upload_id}", service.patch, methods=["PATCH"]),
        Route("/files/{upload_id}", service.terminate, methods=["DELETE"]),
        Route("/receipts/{sha256}", service.receipt, methods=["GET"]),
        Route("/health", service.health, methods=["GET"]),
    ]
    return Starlette(routes=routes, lifespan=service.lifespan, exception_handlers={404: _not_found, 405: _not_allowed})


async def _not_found(request: Request, exc: Exception) -> Response:
    return _error(IntakeRefusal(404, "not_found", "no such address on this service", "این نشانی در ستاد وجود ندارد."), False)


async def _not_allowed(request: Request, exc: Exception) -> Response:
    return _error(IntakeRefusal(405, "method_not_allowed", "this method is not served at this address", "درخواست نامعتبر است."), False)
