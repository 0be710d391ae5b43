"""Demo loader of the stand-in app: records what it was given and adds a login row."""

from org.demo import Login

calls = []


def load(town):
    calls.append(town)
    secretariat = town.with_role("secretariat")[0]
    town.logins.append(Login("テスト用", secretariat.username, secretariat.name, "総務課"))
