"""Personal data: a contact's export and erasure, and gallring (retention) of closed leads."""


def init_app(app) -> None:
    pass
