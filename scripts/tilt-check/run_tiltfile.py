#!/usr/bin/env python3
"""Runs a Tiltfile without Tilt and prints, as JSON, every Tilt function it called.

Tilt evaluates Tiltfiles with Starlark, a dialect of Python. This runner first checks that the file
keeps to the part of Python that Starlark shares, so that Python running it says something about
Tilt running it. Then it executes the file with stand-ins for the Tilt functions and for the
`restart_process` extension. The stand-ins take Tilt's parameter names, so an unknown or misspelled
argument fails here as it would in Tilt. Whether the calls agree with the chart and the repository
is for the caller to check (see TiltfileTest).

Usage: run_tiltfile.py TILTFILE
Prints {"calls": [{"function": NAME, "args": {PARAMETER: VALUE, ...}}, ...]} on success; on failure
prints the problem on stderr and exits with status 1. Only Python 3.9+'s standard library is used.
"""

import ast
import builtins
import inspect
import json
import sys

# Python syntax that Starlark does not have: a Tiltfile using any of it would not load in Tilt.
NOT_STARLARK = {
    ast.AsyncFor: "async for", ast.AsyncFunctionDef: "async def", ast.AsyncWith: "async with",
    ast.Await: "await", ast.Assert: "assert (use fail())", ast.ClassDef: "class",
    ast.Delete: "del", ast.GeneratorExp: "generator expressions", ast.Global: "global",
    ast.Import: "import (use load())", ast.ImportFrom: "from ... import (use load())",
    ast.JoinedStr: "f-strings (use .format())", ast.NamedExpr: ":=",
    ast.Nonlocal: "nonlocal", ast.Raise: "raise (use fail())", ast.Set: "set literals",
    ast.SetComp: "set comprehensions", ast.Try: "try", ast.While: "while", ast.With: "with",
    ast.Yield: "yield", ast.YieldFrom: "yield from",
}

# Starlark's predeclared functions; Python's other builtins (open, __import__...) are not there.
STARLARK_BUILTINS = [
    "abs", "all", "any", "bool", "dict", "dir", "enumerate", "float", "getattr", "hasattr", "hash",
    "int", "len", "list", "max", "min", "print", "range", "repr", "reversed", "sorted", "str",
    "tuple", "type", "zip",
]


class TiltfileError(Exception):
    pass


def check_starlark_subset(source, filename):
    tree = ast.parse(source, filename)
    for node in ast.walk(tree):
        construct = NOT_STARLARK.get(type(node))
        if construct is None and isinstance(node, ast.Compare):
            if any(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops):
                construct = "is / is not (use ==)"
            elif len(node.ops) > 1:
                construct = "chained comparisons"
        if construct is not None:
            raise TiltfileError("line {}: Starlark has no {}".format(node.lineno, construct))
    return tree


class Recorder:
    """Records every call to a Tilt function, with its arguments bound to Tilt's parameter names."""

    def __init__(self):
        self.calls = []

    def tilt_function(self, function):
        signature = inspect.signature(function)

        def record(*args, **kwargs):
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError as error:
                raise TiltfileError("{}(): {}".format(function.__name__, error)) from None
            arguments = dict(bound.arguments)
            arguments.update(arguments.pop("kwargs", {}))
            self.calls.append({"function": function.__name__, "args": arguments})
            return function(*args, **kwargs)

        record.__name__ = function.__name__
        return record


class Value(dict):
    """What a Tilt function returns (a Blob, a PortForward, a live update step), as JSON."""


TRIGGER_MODE_AUTO = "TRIGGER_MODE_AUTO"
TRIGGER_MODE_MANUAL = "TRIGGER_MODE_MANUAL"


# Stand-ins with the signatures of Tilt's API (https://docs.tilt.dev/api.html).

def local_resource(name, cmd="", deps=None, trigger_mode=TRIGGER_MODE_AUTO, resource_deps=[],
                   ignore=[], auto_init=True, serve_cmd="", cmd_bat="", serve_cmd_bat="",
                   allow_parallel=False, links=[], tags=[], env={}, serve_env={},
                   readiness_probe=None, dir="", serve_dir="", labels=[]):
    return None


def docker_build(ref, context, build_args={}, dockerfile="Dockerfile", dockerfile_contents="",
                 live_update=[], match_in_env_vars=False, ignore=[], only=[], entrypoint=[],
                 target="", ssh="", network="", secret="", extra_tag="", container_args=None,
                 cache_from=[], pull=False, platform="", extra_hosts=[]):
    return None


def sync(local_path, remote_path):
    return Value(step="sync", local_path=local_path, remote_path=remote_path)


def run(cmd, trigger=[], echo_off=False):
    return Value(step="run", cmd=cmd, trigger=trigger)


def fall_back_on(files):
    return Value(step="fall_back_on", files=files)


def helm(pathToChartDir, name="", namespace="", values=[], set=[], kube_version="", skip_crds=False):
    return Value(helm=pathToChartDir, name=name, namespace=namespace, values=values, set=set)


def k8s_yaml(yaml, allow_duplicates=False):
    return None


def k8s_resource(workload="", new_name="", port_forwards=[], extra_pod_selectors=[],
                 trigger_mode=TRIGGER_MODE_AUTO, resource_deps=[], objects=[], auto_init=True,
                 pod_readiness="", links=[], labels=[], discovery_strategy=""):
    return None


def port_forward(local_port, container_port=None, name=None, link_path=None, host=None):
    return Value(local_port=local_port, container_port=container_port, name=name, link_path=link_path)


def link(url, name=None):
    return Value(url=url, name=name)


def fail(msg):
    raise TiltfileError("fail(): {}".format(msg))


def tilt_globals(recorder):
    functions = [local_resource, docker_build, sync, run, fall_back_on, helm, k8s_yaml,
                 k8s_resource, port_forward, link]
    names = {function.__name__: recorder.tilt_function(function) for function in functions}
    names.update(TRIGGER_MODE_AUTO=TRIGGER_MODE_AUTO, TRIGGER_MODE_MANUAL=TRIGGER_MODE_MANUAL)
    return names


def extensions(tilt):
    """The extensions a Tiltfile may load, built on the stand-ins like the real ones on Tilt."""

    def docker_build_with_restart(ref, context, entrypoint, live_update,
                                  base_suffix="-tilt_docker_build_with_restart_base",
                                  restart_file="/tmp/.restart-proc", trigger=None,
                                  exit_policy="restart", **kwargs):
        # Like the extension: build the image as a base, then a child image whose entrypoint is
        # wrapped so that writing restart_file (the last live update step) reruns it.
        if not live_update:
            fail("`docker_build_with_restart` requires at least one live_update step")
        if not restart_file.startswith("/"):
            fail("`docker_build_with_restart`: restart_file must be an absolute path in the container")
        if isinstance(entrypoint, str):
            entrypoint = ["sh", "-c", entrypoint]
        base_ref = ref + base_suffix
        tilt["docker_build"](base_ref, context, **kwargs)
        child_kwargs = {key: value for key, value in kwargs.items()
                        if key not in ("dockerfile", "dockerfile_contents", "target")}
        tilt["docker_build"](ref, context,
                             dockerfile_contents="FROM {}\nRUN [\"touch\", \"{}\"]".format(base_ref, restart_file),
                             entrypoint=["/tilt-restart-wrapper", "--watch_file=" + restart_file] + entrypoint,
                             live_update=live_update + [tilt["run"]("date > " + restart_file)],
                             **child_kwargs)

    return {"ext://restart_process": {"docker_build_with_restart": docker_build_with_restart}}


def run_tiltfile(path):
    with open(path, encoding="utf-8") as file:
        source = file.read()
    tree = check_starlark_subset(source, path)

    recorder = Recorder()
    tilt = tilt_globals(recorder)
    known_extensions = extensions(tilt)
    starlark_builtins = {name: getattr(builtins, name) for name in STARLARK_BUILTINS}
    starlark_builtins["fail"] = fail
    scope = {"__builtins__": starlark_builtins}
    scope.update(tilt)

    def load(module, *symbols):
        if module not in known_extensions:
            raise TiltfileError("load(): unknown module {}".format(module))
        for symbol in symbols:
            if symbol not in known_extensions[module]:
                raise TiltfileError("load(): {} has no {}".format(module, symbol))
            scope[symbol] = recorder.tilt_function(known_extensions[module][symbol])

    scope["load"] = load
    try:
        exec(compile(tree, path, "exec"), scope)
    except NameError as error:
        raise TiltfileError("{} (not a Tilt function this runner knows)".format(error)) from None
    return recorder.calls


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        calls = run_tiltfile(argv[1])
    except (TiltfileError, SyntaxError, TypeError, ValueError) as error:
        print("{}: {}".format(argv[1], error), file=sys.stderr)
        return 1
    json.dump({"calls": calls}, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
