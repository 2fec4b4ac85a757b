"""A client of BigBlueButton's API: a few GET calls, one hash, flat XML; docs/virtual-classes.md.

Every call is `https://host/bigbluebutton/api/<call>?<query>&checksum=<hex>`, the checksum being
`sha256(call + query + secret)` (SHA-1 for an old server that a server's setting says is one).
Every answer is XML with `returncode` SUCCESS or FAILED and, when FAILED, a `messageKey`; the
HTTP status is 200 either way. Whatever goes wrong (a timeout, an HTML page from a proxy, a wrong
secret, a FAILED answer) is raised as one `BBBError` whose `reason` is a French sentence for the
trainer; it is logged once, here, without the secret nor the checksum.
"""

import hashlib
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5
MAX_ANSWER_BYTES = 2 * 2**20

# The reasons a trainer reads, by BigBlueButton's messageKey.
REASONS = {
    "checksumError": "le serveur refuse la signature de Préau (secret partagé erroné ?)",
    "notFound": "la salle n’existe pas ou plus sur le serveur",
    "invalidMeetingIdentifier": "la salle n’existe pas ou plus sur le serveur",
    "idNotUnique": "une autre salle porte déjà cet identifiant sur le serveur",
    "validationError": "le serveur refuse un paramètre de la salle",
    "maxParticipantsReached": "la salle est pleine",
    "missingParamMeetingID": "il manque l’identifiant de la salle",
    "missingParamRecordID": "il manque l’identifiant de l’enregistrement",
}


class BBBError(Exception):
    """A call that did not succeed. `reason` is French, for the trainer; `key` is BigBlueButton's
    messageKey (or `timeout`, `unreachable`, `notXml`)."""

    def __init__(self, key: str, reason: str):
        super().__init__(f"{key}: {reason}")
        self.key = key
        self.reason = reason


@dataclass(frozen=True)
class Answer:
    """A SUCCESS answer: its XML, and its messageKey (`duplicateWarning` on a repeated create)."""

    xml: Element
    message_key: str

    def text(self, tag: str, default: str = "") -> str:
        found = self.xml.find(tag)
        return (found.text or "").strip() if found is not None else default


class BBBClient:
    def __init__(self, url: str, secret: str, *, sha1: bool = False, timeout=TIMEOUT_SECONDS):
        url = url.rstrip("/")
        if not url.endswith("/api"):
            url += "/api"
        self.api_url = url
        self.secret = secret
        self.sha1 = sha1
        self.timeout = timeout

    # Building URLs ---------------------------------------------------------------------------

    def checksum(self, call: str, query: str) -> str:
        digest = hashlib.sha1 if self.sha1 else hashlib.sha256
        return digest(f"{call}{query}{self.secret}".encode()).hexdigest()

    def url(self, call: str, params: dict) -> str:
        """The signed URL of a call: the checksum covers the query exactly as sent."""
        query = urllib.parse.urlencode({k: _as_text(v) for k, v in params.items() if v is not None})
        checksum = self.checksum(call, query)
        return f"{self.api_url}/{call}?{query}{'&' if query else ''}checksum={checksum}"

    # Calling ---------------------------------------------------------------------------------

    def call(self, call: str, params: dict, *, expected=()) -> Answer:
        """`expected`: messageKeys that are an answer, not a failure (not logged)."""
        try:
            return self._call(call, params)
        except BBBError as error:
            # Once, here: the URL is not logged (its checksum would let anyone replay the call).
            if error.key not in expected:
                logger.warning("BigBlueButton %s failed (%s): %s", call, error.key, error.reason)
            raise

    def _call(self, call: str, params: dict) -> Answer:
        request = urllib.request.Request(self.url(call, params), headers={"Accept": "text/xml"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read(MAX_ANSWER_BYTES + 1)
        except TimeoutError:
            raise BBBError("timeout", "le serveur n’a pas répondu à temps") from None
        except urllib.error.HTTPError as error:
            error.close()  # its body (a proxy's page) is of no use
            raise BBBError("http", f"le serveur répond par une erreur HTTP {error.code}") from None
        except (urllib.error.URLError, OSError) as error:
            if isinstance(getattr(error, "reason", None), TimeoutError):
                raise BBBError("timeout", "le serveur n’a pas répondu à temps") from None
            raise BBBError("unreachable", "le serveur est injoignable") from None
        if len(body) > MAX_ANSWER_BYTES:
            raise BBBError("notXml", "le serveur répond par un document trop long")
        try:
            xml = SafeET.fromstring(body)
        except (SafeET.ParseError, DefusedXmlException, ValueError):
            raise BBBError(
                "notXml", "le serveur ne répond pas en XML (une page HTML : mauvaise adresse ?)"
            ) from None
        if xml.tag != "response" or xml.find("returncode") is None:
            raise BBBError("notXml", "le serveur ne répond pas comme BigBlueButton")
        answer = Answer(xml, (xml.findtext("messageKey") or "").strip())
        if answer.text("returncode") != "SUCCESS":
            key = answer.message_key or "failed"
            reason = REASONS.get(key) or (
                "le serveur refuse l’appel : " + (answer.text("message") or key)
            )
            raise BBBError(key, reason)
        return answer

    # The calls Préau makes -------------------------------------------------------------------

    def create(self, meeting_id: str, name: str, **params) -> Answer:
        return self.call("create", {"meetingID": meeting_id, "name": name, **params})

    def join_url(
        self, meeting_id: str, full_name: str, *, role: str, user_id: str, guest=False
    ) -> str:
        """A signed join URL for one person; BigBlueButton answers it with a 302 to its client.
        `guest`: a person the waiting room holds until a moderator admits them."""
        params = {"fullName": full_name, "meetingID": meeting_id, "role": role, "userID": user_id}
        if guest:
            params["guest"] = True
        return self.url("join", params)

    def is_meeting_running(self, meeting_id: str) -> bool:
        return self.call("isMeetingRunning", {"meetingID": meeting_id}).text("running") == "true"

    def get_meeting_info(self, meeting_id: str) -> Answer:
        return self.call("getMeetingInfo", {"meetingID": meeting_id})

    def meeting_exists(self, meeting_id: str) -> bool:
        """Whether the server holds the meeting now: created, whether anybody joined yet or not
        (until it ends, it keeps the settings it was created with)."""
        try:
            self.call(
                "getMeetingInfo",
                {"meetingID": meeting_id},
                expected=("notFound", "invalidMeetingIdentifier"),
            )
        except BBBError as error:
            if error.key in ("notFound", "invalidMeetingIdentifier"):
                return False
            raise
        return True

    def attendee_user_ids(self, meeting_id: str) -> set[str]:
        """The userIDs of the people in a running meeting (empty when it is not running)."""
        try:
            info = self.call(
                "getMeetingInfo",
                {"meetingID": meeting_id},
                expected=("notFound", "invalidMeetingIdentifier"),
            )
        except BBBError as error:
            if error.key in ("notFound", "invalidMeetingIdentifier"):
                return set()
            raise
        return {
            (a.findtext("userID") or "").strip()
            for a in info.xml.iterfind("attendees/attendee")
            if (a.findtext("userID") or "").strip()
        }

    def end(self, meeting_id: str) -> Answer:
        return self.call("end", {"meetingID": meeting_id})

    def get_recordings(self, meeting_id: str) -> list[dict]:
        answer = self.call("getRecordings", {"meetingID": meeting_id})
        recordings = []
        for rec in answer.xml.iterfind("recordings/recording"):
            urls = [u.text.strip() for u in rec.iterfind("playback/format/url") if u.text]
            recordings.append(
                {
                    "record_id": (rec.findtext("recordID") or "").strip(),
                    "published": (rec.findtext("published") or "") == "true",
                    "url": urls[0] if urls else "",
                }
            )
        return recordings

    def delete_recordings(self, record_id: str) -> bool:
        answer = self.call("deleteRecordings", {"recordID": record_id})
        return answer.text("deleted") == "true"


def _as_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
