"""One small world with an object behind every kind of URL, for the tests that walk the whole
URLconf (the fuzz test and the role × view matrix): built on the `cast` and `territory`
fixtures, everything in Caen Nord (Calvados, Normandie) unless its name says otherwise."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from preau.forums import services as forum_services
from preau.forums.models import Post, Subscription, Thread
from preau.hours.models import Entry, HoursReport, Kind, ReportStatus, Source
from preau.hours.rules import school_year_of
from preau.hr import services as hr_services
from preau.hr.models import HrLink, HrSession
from preau.notifications import services as notification_services
from preau.notifications.models import Notification
from preau.notifications.tokens import forum_email_off_token
from preau.parcours.models import Activity
from preau.preparations import services as prep_services
from preau.preparations.models import Proposal
from preau.questionnaires import services as questionnaire_services
from preau.training.models import CalendarFeed, Enrolment, SessionStaff
from preau.virtualclasses import services as virtual_services
from preau.virtualclasses.models import Recording
from tests import factories
from tests.core.private_markers import plant_all
from tests.hr.gaia_files import FORMATIONS, TRAINEES, TRAINERS, gaia_uploads

# A 1×1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def build_world(cast: dict, territory: dict) -> dict:
    t = territory
    today = timezone.localdate()
    draft = factories.ParcoursFactory(
        complete=True,
        academie=t["academie"],
        designers=[cast["designer"]],
        thumbnail=ContentFile(PNG, name="vignette.png"),
    )
    section = factories.SectionFactory(parcours=draft)
    activity = factories.ActivityFactory(section=section, with_file=True)
    in_review = factories.ParcoursFactory(
        in_review=True, academie=t["academie"], designers=[cast["designer"]]
    )
    published = factories.ParcoursFactory(published=True, academie=t["academie"])
    module = factories.ParcoursFactory(open_access_module=True, academie=t["academie"])
    session = factories.TrainingSessionFactory(
        open=True,
        source=published,
        circonscription=t["caen"],
        trainers=[cast["trainer"]],
        tutors=[cast["tutor"]],
        self_enrolment=True,
    )
    session_section = session.content.sections.first() or factories.SectionFactory(
        parcours=session.content
    )
    session_activity = session_section.activities.first() or factories.ActivityFactory(
        section=session_section
    )
    forum_activity = Activity.objects.create(
        section=session_section, kind="forum", title="Partagez une séance", position=99
    )
    forum_services.ensure_forums(session=session)
    forum = session.forums.get(activity=forum_activity)
    positioning_activity = Activity.objects.create(
        section=session_section, kind="positioning", title="Où en suis-je ?", position=98
    )
    positioning = questionnaire_services.questionnaire_for_activity(positioning_activity)
    design_questionnaire = questionnaire_services.questionnaire_for_activity(
        Activity.objects.create(section=section, kind="satisfaction", title="Votre avis")
    )
    thread = Thread.objects.create(forum=forum, title="Les rituels", author=cast["teacher"])
    post = Post.objects.create(
        thread=thread,
        author=cast["teacher"],
        body="<p>Comment faites-vous ?</p>",
        attachment=ContentFile(b"%PDF-1.4", name="fiche.pdf"),
    )
    Thread.objects.filter(pk=thread.pk).update(last_post_id=post.pk)
    subscription = Subscription.objects.create(user=cast["teacher"], thread=thread)
    meeting = factories.MeetingFactory(session=session)
    virtual_meeting = factories.MeetingFactory(session=session, virtual=True)
    virtual_room = virtual_services.ensure_meeting_room(meeting=virtual_meeting)
    virtual_activity = Activity.objects.create(
        section=session_section, kind="virtual_class", title="Échanges", position=98
    )
    recording = Recording.objects.create(room=virtual_room, record_id="rec-1")
    window = factories.DistanceWindowFactory(session=session)
    enrolment = factories.EnrolmentFactory(session=session, user=cast["teacher"], attested=True)
    classmate = factories.teacher(
        school=t["caen_school"], first_name="Dominique", last_name="Quérard-Lambertin"
    )
    other_enrolment = factories.EnrolmentFactory(session=session, user=classmate)
    staff = SessionStaff.objects.get(session=session, user=cast["tutor"])
    prep_activity = Activity.objects.create(
        section=session_section,
        kind="preparation",
        title="Préparer une séance",
        body="<h2>Objectifs</h2>",
        position=100,
    )
    prep_group = prep_services.create_group(
        activity=prep_activity,
        session=session,
        name="Groupe 1",
        members=[cast["teacher"], classmate],
        by=cast["trainer"],
    )
    # The same things in Bayeux (another circonscription of the same département).
    bayeux_trainer = factories.with_role("trainer", circonscription=t["bayeux"])
    bayeux_session = factories.TrainingSessionFactory(
        open=True, source=published, circonscription=t["bayeux"], trainers=[bayeux_trainer]
    )
    entry = Entry.objects.create(
        teacher=cast["teacher"],
        school_year=school_year_of(today),
        date=today,
        kind=Kind.UNION_MEETING,
        source=Source.DECLARATION,
        title="Réunion d’information syndicale",
        presence_hours=Decimal(2),
        circonscription=t["caen"],
    )
    report = HoursReport.objects.create(
        academie=t["academie"],
        school_year=school_year_of(today),
        status=ReportStatus.DONE,
        progress=100,
        requested_by=cast["manager"],
        csv_file=ContentFile(b"circonscription;enseignants\n", name="rapport.csv"),
        xlsx_file=ContentFile(b"PK", name="rapport.xlsx"),
    )
    hr_import = hr_services.build_preview(
        hr_services.start_gaia_import(
            academie=t["academie"],
            uploads=gaia_uploads(FORMATIONS, TRAINERS, TRAINEES),
            by=cast["manager"],
        )
    )
    hr_services.confirm_import(hr_import=hr_import, by=cast["manager"])
    hr_import = hr_services.apply_import(hr_import)
    hr_session = HrSession.objects.filter(academie=t["academie"]).first()
    link = HrLink.objects.create(session=session, hr_session=hr_session)
    feed = CalendarFeed.objects.create(user=cast["teacher"])
    notification_services.notify(
        recipients=[cast["teacher"]],
        kind=Notification.Kind.ANNOUNCEMENT,
        title="Nouvelle annonce : la salle change",
        url=f"/sessions/mes-sessions/{session.pk}/",
        session=session,
    )
    notification = Notification.objects.get(recipient=cast["teacher"])
    world = {
        "draft": draft,
        "section": section,
        "activity": activity,
        "in_review": in_review,
        "published": published,
        "module": module,
        "session": session,
        "session_section": session_section,
        "session_activity": session_activity,
        "meeting": meeting,
        "window": window,
        "enrolment": enrolment,
        "other_enrolment": other_enrolment,
        "staff": staff,
        "bayeux_session": bayeux_session,
        "entry": entry,
        "report": report,
        "hr_import": hr_import,
        "hr_session": hr_session,
        "link": link,
        "feed": feed,
        "forum_activity": forum_activity,
        "positioning_activity": positioning_activity,
        "positioning": positioning,
        "design_questionnaire": design_questionnaire,
        "design_question": design_questionnaire.questions.last(),
        "forum": forum,
        "prep_activity": prep_activity,
        "prep_group": prep_group,
        "prep_document": prep_group.document,
        "prep_version": prep_services.name_version(
            document=prep_group.document, name="Avant la séance", by=cast["trainer"]
        ),
        # A plan proposed to the designers of the (draft) parcours the designer designs.
        "prep_proposal": Proposal.objects.create(
            lineage_id=draft.lineage_id,
            parcours=draft,
            document=prep_group.document,
            session_title=session.title,
            activity_title=prep_activity.title,
            group_name=prep_group.name,
            content_html="<h2>Objectifs</h2>",
            proposed_by=cast["trainer"],
        ),
        # (the anchor: the end of the document, as Yjs encodes it)
        "prep_comment": prep_services.add_comment(
            document=prep_group.document,
            body="Préciser la consigne",
            quote="Objectifs",
            start=b"\x01\x0bprosemirror\x00",
            end=b"\x01\x0bprosemirror\x00",
            by=cast["trainer"],
        ),
        "thread": thread,
        "post": post,
        "unsubscribe": forum_services.unsubscribe_token(subscription),
        "notification": notification,
        "email_off": forum_email_off_token(cast["teacher"]),
        "virtual_meeting": virtual_meeting,
        "virtual_room": virtual_room,
        "virtual_activity": virtual_activity,
        "recording": recording,
        "end_token": virtual_services.end_callback_url(virtual_room).rstrip("/").split("/")[-1],
        "year": school_year_of(today),
        "today": today,
        "enrolments": Enrolment.objects.filter(session=session),
        "in_a_week": today + datetime.timedelta(days=7),
    }
    # A reply by the teacher (a member) to the trainer's comment.
    world["prep_reply"] = prep_services.reply_to_comment(
        comment=world["prep_comment"], body="C’est fait", by=cast["teacher"]
    )
    # Private content (a logbook…), with the markers that prove it stays private.
    world["private_markers"] = plant_all(cast, world)
    return world
