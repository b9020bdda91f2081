"""`backcoach deploy` (`make deploy`): the commands run one by one, each printed first; --dry-run prints them."""

from __future__ import annotations

import argparse
import json
import sys

from skill.cli.main import _links
from skill.settings import ENV_STACK_NAME, ENV_UPLOAD_SERVICE, Settings


def deploy_command(args: argparse.Namespace, settings: Settings) -> int:
    """`make deploy`: the commands run one by one, each printed first; --dry-run prints them and runs none."""
    import os
    import shutil
    import subprocess

    from skill.cli.build import REPO, build, build_account_linking, build_skill_package
    from skill.cli.deploy import DeployConfig, Step, deploy, shell_line

    links = _links(args, "deploy")
    if links is None:
        return 2
    config = DeployConfig(
        out=REPO / "build",  # the template's CodeUris point here
        stack_name=args.stack_name or os.environ.get(ENV_STACK_NAME, "") or "backcoach",
        upload_service=args.upload_service or settings.upload_service or "off",
        skill_id=args.skill_id or "", region=args.region, profile=args.profile,
        privacy_url=links[0], terms_url=links[1],
    )
    if config.upload_service not in ("off", "strava", "fitbit"):
        print(f"backcoach deploy: {ENV_UPLOAD_SERVICE} must be strava, fitbit or off", file=sys.stderr)
        return 2
    missing = [tool for tool in ("sam", "ask") if shutil.which(tool) is None]
    if missing and not args.dry_run:
        print(f"backcoach deploy: {' and '.join(missing)} not found: install the AWS SAM CLI and the ASK CLI (see the "
              "README's Deploy section), or pass --dry-run to see the commands", file=sys.stderr)
        return 2

    def build_artifacts(config: DeployConfig) -> None:
        print(f"# build {config.out}/: the Lambda zips, the skill package (no endpoint yet), account linking")
        if args.dry_run:  # the zips take a while and need the package index; the dry run shows the rest
            build_skill_package(config.out / "skill-package", "", privacy_url=config.privacy_url,
                                terms_url=config.terms_url)
            build_account_linking(config.out / "account-linking")
        else:
            build(config.out, "", privacy_url=config.privacy_url, terms_url=config.terms_url)

    def run(step: Step) -> str:
        print(f"# {step.why}\n{shell_line(step)}", flush=True)
        if args.dry_run:
            return DRY_RUN_OUTPUTS.get(step.name, "")
        reads = step.name in ("find-skill", "stack-outputs")
        result = subprocess.run(step.argv, cwd=step.cwd, check=not step.may_fail, text=True,
                                stdout=subprocess.PIPE if reads else None,
                                stderr=subprocess.DEVNULL if step.may_fail else None)
        return (result.stdout or "") if result.returncode == 0 else ""

    try:
        result = deploy(config, run, build_artifacts)
    except subprocess.CalledProcessError as failed:
        print(f"backcoach deploy: `{' '.join(failed.cmd)}` failed (exit {failed.returncode}); fix that and run "
              "`make deploy` again: every step is safe to repeat", file=sys.stderr)
        return 1
    print(f"\nskill id:     {result.skill_id}")
    for key, value in sorted(result.outputs.items()):
        print(f"{key + ':':<17} {value}")
    print(f"The companion's --url is the SyncApiUrl: backcoach wearable stream --url {result.outputs.get('SyncApiUrl')}"
          " --code … (the code: \"Alexa, ask back coach to pair my watch\")")
    for note in result.notes:
        print(note)
    if args.dry_run:
        print("(dry run: nothing was deployed; the values in <…> are what the real run reads back)")
    return 0


DRY_RUN_OUTPUTS = {  # what `backcoach deploy --dry-run` pretends the stack answered
    "stack-outputs": json.dumps([{"OutputKey": key, "OutputValue": f"<{key}>"}
                                 for key in ("SkillFunctionArn", "StateTableName", "SyncApiUrl")]),
}
