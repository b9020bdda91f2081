"""`backcoach deploy`: the SAM stack and the skill package, in the order each needs the other.

Every command goes through a runner, so a dry run prints them and tests fake `ask` and `sam`."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from skill.cli.build import LINKING_PLACEHOLDERS, REPO, build_skill_package, write_ask_resources

ASK_STATES = Path(".ask") / "ask-states.json"  # where the ASK CLI keeps the skill id of the project in `out`
TEMPLATE = Path("infrastructure") / "template.yaml"  # relative to the repository; its CodeUris point at build/
SKILL_ID_UNKNOWN = "<the skill id `ask deploy` writes to build/.ask/ask-states.json>"


@dataclass(frozen=True)
class Step:
    """One command of a deploy: `name` says which (tests and the dry run key on it), `why` is printed."""

    name: str
    why: str
    argv: tuple[str, ...]
    cwd: Path
    may_fail: bool = False  # a failure is an answer ("no such stack"), and the runner returns "" for it


Runner = Callable[[Step], str]  # runs a step and returns its standard output


@dataclass(frozen=True)
class DeployConfig:
    out: Path  # the built artifacts and the ASK CLI project (ask-resources.json, .ask/)
    stack_name: str = "backcoach"
    upload_service: str = "off"  # the template's UploadService: off, strava or fitbit
    skill_id: str = ""  # an existing skill; "" = the one in .ask/ask-states.json, or a new one
    region: str = ""  # AWS region for SAM ("" = the AWS CLI's default)
    profile: str = "default"  # ASK CLI profile
    privacy_url: str = ""
    terms_url: str = ""
    repo: Path = REPO


@dataclass(frozen=True)
class DeployResult:
    skill_id: str
    outputs: dict[str, str]  # the stack's outputs: SkillFunctionArn, SyncApiUrl, StateTableName
    steps: tuple[Step, ...]
    notes: tuple[str, ...]  # what is left for the person to do


def deploy(config: DeployConfig, run: Runner, build_artifacts: Callable[[DeployConfig], None]) -> DeployResult:
    """Build, create the skill if there is none (a package with no endpoint), deploy the stack with its id, read
    the stack's outputs, and send the package again with the function as its endpoint; then account linking.

    The skill package goes through `ask deploy` (a whole-package import): SMAPI's update-skill-manifest cannot
    carry file:// icons. Every command goes through `run`, so a dry run prints them and tests fake them."""
    done: list[Step] = []

    def step(name: str, why: str, argv: list[str], cwd: Path, may_fail: bool = False) -> str:
        planned = Step(name, why, tuple(argv), cwd, may_fail)
        done.append(planned)
        return run(planned)

    out, repo = config.out, config.repo
    ask_profile = ["--profile", config.profile]
    build_artifacts(config)
    write_ask_resources(out, config.profile)
    if config.skill_id:
        write_skill_id(out, config.profile, config.skill_id)
    region = ["--region", config.region] if config.region else []
    list_outputs = ["sam", "list", "stack-outputs", "--stack-name", config.stack_name, "--output", "json", *region]
    skill_id = read_skill_id(out, config.profile)
    if not skill_id:  # build/ was cleaned, or this is the first deploy: a stack that exists knows its skill
        existing = step("find-skill", "look for the skill id in an existing stack (fails when there is none)",
                        list_outputs, repo, may_fail=True)
        skill_id = parse_stack_outputs(existing, require=False).get("SkillId", "") if existing.strip() else ""
        if skill_id:
            write_skill_id(out, config.profile, skill_id)
    if not skill_id:
        step("create-skill", "create the skill from the package (no endpoint yet: the stack needs the skill id)",
             ["ask", "deploy", "--target", "skill-metadata", *ask_profile], out)
        skill_id = read_skill_id(out, config.profile) or SKILL_ID_UNKNOWN
    step("deploy-stack", "deploy the backend: functions, tables, sync API and (if on) the upload worker",
         ["sam", "deploy", "--template-file", str(TEMPLATE), "--stack-name", config.stack_name,
          "--capabilities", "CAPABILITY_IAM", "--resolve-s3", "--no-confirm-changeset",
          "--no-fail-on-empty-changeset", "--parameter-overrides", f"SkillId={skill_id}",
          f"UploadService={config.upload_service}", *region], repo)
    listed = step("stack-outputs", "read the stack's outputs", list_outputs, repo)
    outputs = parse_stack_outputs(listed)
    build_skill_package(out / "skill-package", outputs["SkillFunctionArn"], repo, privacy_url=config.privacy_url,
                        terms_url=config.terms_url)
    step("deploy-skill-package", "send the package with the function as its endpoint, build the models, enable "
         "the skill for testing", ["ask", "deploy", "--ignore-hash", *ask_profile], out)
    notes = []
    if config.upload_service != "off":
        request = Path("account-linking") / f"{config.upload_service}.json"
        if "${" in (out / request).read_text(encoding="utf-8"):
            notes.append(f"Account linking was not sent: {out / request} still has placeholders. Set "
                         f"{LINKING_PLACEHOLDERS['${CLIENT_ID}']} and {LINKING_PLACEHOLDERS['${CLIENT_SECRET}']} "
                         "to your API application's and deploy again.")
        else:
            step("account-linking", f"link accounts with {config.upload_service} (for uploads)",
                 ["ask", "smapi", "update-account-linking-info", "--skill-id", skill_id,
                  "--account-linking-request", f"file:{request.as_posix()}", *ask_profile], out)
    return DeployResult(skill_id, outputs, tuple(done), tuple(notes))


def parse_stack_outputs(listed: str, require: bool = True) -> dict[str, str]:
    """`sam list stack-outputs --output json`: a list of {OutputKey, OutputValue, Description}."""
    outputs = {item["OutputKey"]: item["OutputValue"] for item in json.loads(listed)}
    if require and "SkillFunctionArn" not in outputs:
        raise ValueError(f"the stack has no SkillFunctionArn output (got {sorted(outputs)})")
    return outputs


def read_skill_id(out: Path, profile: str = "default") -> str:
    path = out / ASK_STATES
    if not path.exists():
        return ""
    states = json.loads(path.read_text(encoding="utf-8"))
    return str(states.get("profiles", {}).get(profile, {}).get("skillId") or "")


def write_skill_id(out: Path, profile: str, skill_id: str) -> None:
    """Adopt an existing skill: the ASK CLI then updates it instead of creating another."""
    path = out / ASK_STATES
    states = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {
        "askcliStatesVersion": "2020-03-31", "profiles": {}}
    states.setdefault("profiles", {}).setdefault(profile, {})["skillId"] = skill_id
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(states, indent=2) + "\n", encoding="utf-8")


def shell_line(step: Step, repo: Path = REPO) -> str:
    """The step as one shell line to copy: `(cd build && ask deploy …)` when it runs elsewhere than the checkout."""
    import shlex

    line = shlex.join(step.argv)
    if step.cwd.resolve() == repo.resolve():
        return line
    where = step.cwd.relative_to(repo) if step.cwd.is_relative_to(repo) else step.cwd
    return f"(cd {shlex.quote(str(where))} && {line})"
