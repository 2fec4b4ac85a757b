import pytest

ADMIN_PAGES = [
    "/admin/hours/hourspolicy/",
    "/admin/hours/hourspolicy/add/",
    "/admin/hours/entry/",
    "/admin/hours/animation/",
    "/admin/training/trainingsession/",
    "/admin/training/enrolment/",
    "/admin/parcours/parcours/",
    "/admin/accounts/user/",
    "/admin/territories/school/",
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_technical_admin_pages_open_for_a_superuser(client, db, url):
    from tests import factories

    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)

    assert client.get(url).status_code == 200


def test_technical_admin_is_closed_to_a_teacher(client, cast):
    client.force_login(cast["teacher"])

    assert client.get("/admin/hours/hourspolicy/").status_code == 302


def test_an_animation_cannot_be_deleted_in_the_admin(client, territory):
    """Deleting it would remove its attendees' ledger lines behind the yearly totals' back."""
    import datetime

    from preau.hours.models import Animation
    from tests import factories

    animation = Animation.objects.create(
        title="Conférence", date=datetime.date(2026, 10, 7), circonscription=territory["caen"]
    )
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))

    assert client.get(f"/admin/hours/animation/{animation.pk}/delete/").status_code == 403
    assert Animation.objects.filter(pk=animation.pk).exists()


# Class names that are French words: their derived name is already the right one.
SAME_IN_FRENCH = {
    "circonscription",
    "forum",
    "notification",
    "parcours",
    "question",
    "questionnaire",
    "section",
}


def test_every_model_names_itself_in_french_in_singular_and_plural():
    """Django's default names are the class name in English, plural with an "s" added
    (« Entrys », « Hours policys »): each model says both of its names explicitly."""
    from django.apps import apps
    from django.utils.text import camel_case_to_spaces

    unnamed, english = [], []
    for model in apps.get_models():
        if not model.__module__.startswith("preau."):
            continue
        options = model._meta
        if not {"verbose_name", "verbose_name_plural"} <= options.original_attrs.keys():
            unnamed.append(model.__name__)
        derived = camel_case_to_spaces(model.__name__)
        if str(options.verbose_name) == derived and derived not in SAME_IN_FRENCH:
            english.append(model.__name__)
        if str(options.verbose_name_plural) == f"{derived}s" and derived not in SAME_IN_FRENCH:
            english.append(model.__name__)

    assert unnamed == [], "Meta without verbose_name and verbose_name_plural"
    assert english == [], "names left in English"


def test_the_admin_index_lists_the_models_by_their_french_plural(client, db):
    from django.contrib import admin
    from django.utils.text import capfirst

    from tests import factories

    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))

    content = client.get("/admin/").content.decode()

    assert "Lignes du registre des heures" in content
    assert "Règles des 18 heures des académies" in content
    assert "Entrys" not in content and "policys" not in content.lower()
    preau_models = [m for m in admin.site._registry if m.__module__.startswith("preau.")]
    assert len(preau_models) > 15
    for model in preau_models:
        assert f">{capfirst(model._meta.verbose_name_plural)}<" in content, model.__name__


def test_the_models_of_installed_packages_are_named_in_french_in_the_admin_index(client, db):
    """Their Meta and migrations are the packages' own: the admin site renames them."""
    from django.contrib import admin

    from preau.core.admin_site import PACKAGE_APP_NAMES, PACKAGE_MODEL_NAMES
    from tests import factories

    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))

    content = client.get("/admin/").content.decode()

    for english in ("Task Results", "TOTP devices", "Static devices", "Otp_Totp", "Tasks Database"):
        assert english not in content
    for name in [*PACKAGE_APP_NAMES.values(), *PACKAGE_MODEL_NAMES.values()]:
        assert str(name).replace("’", "&#x27;") in content or str(name) in content, name
    registered = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    assert set(PACKAGE_MODEL_NAMES) <= registered


# Search boxes: accents and case aside, the terms capped (preau/core/admin.py) ----------------


def _searchable_admins():
    """(model, its ModelAdmin) of every Préau model whose admin has a search box."""
    from django.contrib import admin

    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model.__module__.startswith("preau.") and model_admin.search_fields
    ]


def test_every_search_box_of_the_admin_folds_accents_and_caps_its_terms():
    from preau.core.admin import FoldedSearchMixin

    admins = _searchable_admins()
    assert len(admins) >= 15, admins
    plain = [type(a).__name__ for _m, a in admins if not isinstance(a, FoldedSearchMixin)]
    assert not plain, f"Add preau.core.admin.FoldedSearchMixin to: {plain}"


def _text_field(model, path: str):
    """The model and text field at the end of a search path (`user__last_name`)."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model, model._meta.get_field(name)


ELEVE = "Cours de l’Élève Zéphyr"


def _with_eleve(model, model_admin):
    """An object of `model` whose first searchable long enough text reads « …Élève… » (set on
    the object at the end of the path: the session of an enrolment, the user of an entry)."""
    path = next(
        p
        for p in model_admin.search_fields
        if (_text_field(model, p)[1].max_length or 999) >= len(ELEVE)
    )
    obj = model.objects.order_by("pk").first()
    assert obj is not None, f"no {model.__name__} in the world"
    target = obj
    for relation in path.split("__")[:-1]:
        target = getattr(target, relation)
    field = path.split("__")[-1]
    type(target).objects.filter(pk=target.pk).update(**{field: ELEVE})
    return obj


@pytest.mark.django_db
def test_the_admin_search_finds_eleve_in_eleve_and_survives_two_thousand_words(
    client, cast, territory
):
    import datetime

    from django.urls import reverse

    from preau.hours.models import Animation
    from preau.parcours.models import Event, OpenAccessMembership
    from tests import factories

    from .world import build_world

    world = build_world(cast, territory)
    Animation.objects.create(
        title="Conférence", date=datetime.date(2026, 10, 7), circonscription=territory["caen"]
    )
    OpenAccessMembership.objects.create(parcours=world["module"], user=cast["teacher"])
    if not Event.objects.exists():
        Event.objects.create(parcours=world["draft"], action=Event.Action.CREATED)
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    long_query = " ".join(["zéphyr"] * 1999 + ["absent"])
    for model, model_admin in _searchable_admins():
        obj = _with_eleve(model, model_admin)
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

        found = client.get(url, {"q": "eleve ZEPHYR"})
        capped = client.get(url, {"q": long_query})

        assert found.status_code == 200, url
        assert obj in found.context["cl"].result_list, url
        assert capped.status_code == 200, url
        assert obj in capped.context["cl"].result_list, url  # the first ten words only
