"""`flask seed-demo`: fictional demo data, never in production."""


def init_app(app) -> None:
    from app.demo.commands import seed_demo_command

    app.cli.add_command(seed_demo_command)
