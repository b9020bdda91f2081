"""The local Echo Show's screen as text: which document a response put up, and one line saying what it shows
(`backcoach chat --device-kind show` prints it under each answer)."""

from __future__ import annotations

from typing import Any


def screen_token(response: dict[str, Any]) -> str:
    """The token of the document a response put on the screen ("" for none)."""
    directives = (response.get("response") or {}).get("directives") or []
    return next((d.get("token", "") for d in directives if d.get("type", "").endswith("APL.RenderDocument")), "")


def screen_line(response: dict[str, Any]) -> str:
    """One line saying what the screen shows after a response ("" when no document was sent)."""
    directives = (response.get("response") or {}).get("directives") or []
    render = next((d for d in directives if d.get("type", "").endswith("APL.RenderDocument")), None)
    if render is None:
        return ""
    data = render["datasources"]["coach"]
    kind = render["token"].rsplit(".", 1)[-1]
    if kind == "card":
        items = f" ({len(data['items'])} items)" if data["items"] else ""
        return f"{data['title']}: {data['subtitle']}{items}"
    if kind == "summary":
        days = "".join("●" if d["state"] == "done" else "◐" if d["state"] == "stopped" else "○"
                       for d in data["week"]["days"])
        return f"{data['title']}: {'; '.join(data['lines'])} | {days} {data['week']['caption']}"
    steps = []
    for panel in data["panels"]:
        name = panel["title"] + (f" ({panel['detail']})" if panel.get("detail") else "")
        at = f"{panel['from'] // 60000}:{panel['from'] // 1000 % 60:02d}"
        if panel["kind"] == "move":
            steps.append(f"{at} {name} counts 0-{panel['reps'][-1]['n']}")
        elif panel["kind"] == "rest":
            steps.append(f"{at} {name} {panel['restSeconds']} s")
        elif panel["kind"] == "still":
            steps.append(f"{name}: {panel['big']}, {panel['caption']}")
        else:
            steps.append(f"{at} {panel['title']}")
    buttons = " | ".join(b["label"] for b in data["buttons"])
    return f"{data['workout']}: {' · '.join(steps)} [{buttons}]"
