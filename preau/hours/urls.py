from django.urls import path

app_name = "hours"

# Each area adds its routes from its own views module: teacher.py (« Mes 18 heures »),
# piloting.py (the IEN's follow-up).
urlpatterns: list = []

# « Mes 18 heures » (views/teacher.py): a teacher's own ledger, never anybody else's.
from .views import teacher  # noqa: E402

urlpatterns += [
    path("", teacher.mine, name="mine"),
    path("<year:year>/", teacher.mine, name="year"),
    path("<year:year>/fiche/", teacher.fiche, name="fiche"),
    path("<year:year>/fiche.pdf", teacher.fiche_pdf, name="fiche_pdf"),
    path("declarer-reunion-syndicale/", teacher.declare, name="declare"),
]

# The IEN's follow-up (views/piloting.py): the circonscriptions the person pilots, 404 elsewhere.
from .views import piloting  # noqa: E402

urlpatterns += [
    path("circonscriptions/<str:code>/", piloting.circonscription, name="circonscription"),
    path(
        "circonscriptions/<str:code>/export.csv",
        piloting.circonscription_csv,
        name="circonscription_csv",
    ),
    path(
        "circonscriptions/<str:code>/export.xlsx",
        piloting.circonscription_xlsx,
        name="circonscription_xlsx",
    ),
    path(
        "circonscriptions/<str:code>/enseignants/<id:pk>/",
        piloting.teacher_ledger,
        name="teacher_ledger",
    ),
    path(
        "circonscriptions/<str:code>/declarations/",
        piloting.declarations,
        name="declarations",
    ),
    path(
        "circonscriptions/<str:code>/declarations/<id:pk>/decision/",
        piloting.decide,
        name="decide",
    ),
    path(
        "circonscriptions/<str:code>/enseignants/<id:pk>/declarations/<id:entry_pk>/",
        piloting.declaration,
        name="declaration",
    ),
]

# The pilot team's aggregate (views/aggregate.py): the départements the person pilots, 404
# elsewhere.
from .views import aggregate  # noqa: E402

urlpatterns += [
    path("departements/", aggregate.departements, name="departements"),
    path("departements/<str:code>/", aggregate.departement, name="departement"),
]

# The yearly hours report (views/report.py): administrators and academic managers, each for
# their scope; other people get a 403, a report out of scope a 404.
from .views import report  # noqa: E402

urlpatterns += [
    path("rapports/", report.report_list, name="reports"),
    path(
        "rapports/<id:pk>/rapport.csv", report.report_download, {"kind": "csv"}, name="report_csv"
    ),
    path(
        "rapports/<id:pk>/rapport.xlsx",
        report.report_download,
        {"kind": "xlsx"},
        name="report_xlsx",
    ),
]
