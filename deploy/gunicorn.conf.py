"""gunicorn settings of Etablera; deploy/etablera-web.service runs
`gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

The access log goes through app.access_log.RedactingGunicornLogger: calendar feed secrets,
reset and invitation tokens, `token=` query values and Authorization/Cookie headers are
written as "[borttaget]" (the same rule as the development server's log).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
logger_class = "app.access_log.RedactingGunicornLogger"
accesslog = "-"  # to stdout, i.e. the journal under systemd
errorlog = "-"
# The combined format; every atom is redacted by the logger class.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
