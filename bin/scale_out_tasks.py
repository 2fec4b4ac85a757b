"""The task bin/prove-scale-out enqueues: one row per task number, in a table whose primary key
makes a second run of the same task fail (and show as FAILED)."""

import os

from django.db import connection
from django_tasks import task


@task()
def record_run(n: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO scale_out_run (n, pid) VALUES (%s, %s)", [n, os.getpid()])
