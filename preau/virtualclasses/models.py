"""Virtual classes (BigBlueButton rooms) of training sessions; docs/virtual-classes.md.

A room belongs to a session, through a presence meeting « à distance » or through the session's
copy of a « Classe virtuelle » activity. Privacy (domain.md §6): of the people who joined a room
Préau keeps only that they joined (RoomPresence, no time, no duration), to prefill attendance.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from preau.parcours.models import Activity
from preau.territories.models import Academie
from preau.training.models import Meeting, TrainingSession


def new_meeting_id() -> str:
    return uuid.uuid4().hex


class Server(models.Model):
    """A BigBlueButton server (or a Scalelite in front of several), registered by an admin."""

    name = models.CharField(_("nom"), max_length=100)
    url = models.URLField(
        _("adresse de l’API"),
        max_length=300,
        help_text=_("Par exemple https://bbb.ac-exemple.fr/bigbluebutton/api"),
    )
    secret = models.CharField(_("secret partagé"), max_length=200)
    sha1 = models.BooleanField(
        _("signature SHA-1 (ancien serveur)"),
        default=False,
        help_text=_(
            "À cocher seulement si le serveur refuse SHA-256 (versions antérieures à 2.5)."
        ),
    )
    academie = models.OneToOneField(
        Academie,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="bbb_server",
        verbose_name=_("académie"),
        help_text=_("Vide : le serveur des académies qui n’ont pas le leur."),
    )

    class Meta:
        verbose_name = _("serveur BigBlueButton")
        verbose_name_plural = _("serveurs BigBlueButton")

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="virtual_rooms"
    )
    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="virtual_room"
    )
    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="virtual_room"
    )
    # BigBlueButton's meetingID: random, never derived from an id a person could guess.
    bbb_meeting_id = models.CharField(max_length=64, unique=True, default=new_meeting_id)
    welcome = models.TextField(
        _("message d’accueil"),
        blank=True,
        default="Bienvenue dans la classe virtuelle de la session.",
    )
    recording_allowed = models.BooleanField(
        _("enregistrement autorisé"),
        default=False,
        help_text=_("Les participants en sont avertis avant de rejoindre la classe."),
    )
    waiting_room = models.BooleanField(
        _("salle d’attente"),
        default=False,
        help_text=_("Un formateur admet chaque participant."),
    )
    mute_on_start = models.BooleanField(_("micros coupés à l’entrée"), default=True)
    audio_only = models.BooleanField(
        _("audioconférence (audio seulement)"),
        default=False,
        help_text=_("Pas de webcam ; le numéro de téléphone et le code sont affichés."),
    )
    # When no server is configured: a link to another service, shown to participants only.
    external_url = models.URLField(_("lien vers une autre classe virtuelle"), blank=True)
    # The schedule of an activity's room (a meeting's room follows its meeting).
    date = models.DateField(_("date"), null=True, blank=True)
    start_time = models.TimeField(_("début"), null=True, blank=True)
    end_time = models.TimeField(_("fin"), null=True, blank=True)
    # Given by the server on create, shown to those who dial in.
    dial_number = models.CharField(max_length=40, blank=True)
    voice_bridge = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("classe virtuelle")
        verbose_name_plural = _("classes virtuelles")
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=False, activity__isnull=True)
                | Q(meeting__isnull=True, activity__isnull=False),
                name="room_of_a_meeting_or_an_activity",
            )
        ]

    def __str__(self) -> str:
        if self.meeting_id:
            return str(self.meeting)
        return self.activity.title

    @property
    def name(self) -> str:
        return f"{self.session.title} — {self}"[:250]


class RoomPresence(models.Model):
    """A person joined the room (seen among its attendees by BigBlueButton). Only that: no time,
    no duration; it prefills the meeting's attendance, which the trainer confirms."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("personne venue en classe virtuelle")
        verbose_name_plural = _("personnes venues en classe virtuelle")
        constraints = [models.UniqueConstraint(fields=["room", "user"], name="room_presence_once")]

    def __str__(self) -> str:
        return f"{self.user_id} @ room {self.room_id}"


class Recording(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="recordings")
    record_id = models.CharField(max_length=128, unique=True)
    url = models.URLField(_("adresse de lecture"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("enregistrement de classe virtuelle")
        verbose_name_plural = _("enregistrements de classes virtuelles")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.record_id
