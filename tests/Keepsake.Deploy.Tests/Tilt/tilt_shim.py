#!/usr/bin/env python3
"""Runs a Tiltfile without Tilt and prints, as JSON, every call it made to Tilt's API.

There is no Tilt binary on the test machine. A Tiltfile is Starlark, and what a Tiltfile normally uses of
Starlark is valid Python, so Python executes it here with Tilt's functions replaced by recorders that take the
same parameters as Tilt's own (https://docs.tilt.dev/api.html): a misspelt or unknown argument fails here as it
would under Tilt. Constructs that are Python but not Starlark (imports, classes, while, try, f-strings, ...) are
refused before anything runs, and only Starlark's built-in functions are in scope.

Usage: python3 tilt_shim.py TILTFILE [--context NAME]
Prints {"tiltfile": ..., "context": ..., "calls": [{"function": ..., "arguments": {...}}, ...]} on stdout. Exits 1
when the Tiltfile calls fail() (the message on stderr), 2 when it is not Starlark Tilt can run.
"""

import argparse
import ast
import functools
import inspect
import json
import os
import sys
import types

NOT_STARLARK = {
    ast.Import: 'import', ast.ImportFrom: 'import', ast.ClassDef: 'class', ast.While: 'while', ast.Try: 'try',
    ast.Raise: 'raise', ast.With: 'with', ast.AsyncFunctionDef: 'async def', ast.Await: 'await', ast.Yield: 'yield',
    ast.YieldFrom: 'yield from', ast.Global: 'global', ast.Nonlocal: 'nonlocal', ast.JoinedStr: 'f-string',
    ast.NamedExpr: ':=', ast.Assert: 'assert', ast.Delete: 'del', ast.Set: 'set literal', ast.SetComp: 'set comprehension',
    ast.Is: 'is', ast.IsNot: 'is not', ast.Pow: '**',
}

STARLARK_BUILTINS = [
    'abs', 'all', 'any', 'bool', 'dict', 'dir', 'enumerate', 'float', 'getattr', 'hasattr', 'hash', 'int', 'len',
    'list', 'max', 'min', 'print', 'range', 'repr', 'reversed', 'sorted', 'str', 'tuple', 'type', 'zip',
]


class TiltfileFailed(Exception):
    """fail() was called."""


class Blob(str):
    """Tilt's Blob: text that knows where it came from (a kustomize build, a command's output, a file)."""

    def __new__(cls, text, origin):
        blob = super().__new__(cls, text)
        blob.origin = origin
        return blob


class Recorder:
    def __init__(self, tiltfile, context):
        self.directory = os.path.dirname(os.path.abspath(tiltfile))
        self.context = context
        self.calls = []

    def api(self, function):
        """Records each call of a stub with every parameter bound (defaults included) and returns what the stub returns."""
        signature = inspect.signature(function)

        @functools.wraps(function)
        def recorded(*args, **kwargs):
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError as e:
                raise TypeError('%s(): %s' % (function.__name__, e)) from None
            bound.apply_defaults()
            self.calls.append({'function': function.__name__, 'arguments': dict(bound.arguments)})
            return function(*args, **kwargs)

        return recorded

    def namespace(self):
        recorder = self

        def custom_build(ref, command, deps, tag='', disable_push=False, skips_local_docker=False, live_update=[],
                         match_in_env_vars=False, ignore=[], entrypoint=[], command_bat_val='', outputs_image_ref_to='',
                         command_bat='', image_deps=[], env={}, dir=''):
            pass

        def docker_build(ref, context, build_args={}, dockerfile='Dockerfile', dockerfile_contents='', live_update=[],
                         match_in_env_vars=False, ignore=[], only=[], entrypoint=[], target='', ssh='', network='',
                         secret='', extra_tag='', container_args=None, cache_from=[], pull=False, platform='',
                         extra_hosts=[]):
            pass

        def k8s_yaml(yaml, allow_duplicates=False):
            pass

        def kustomize(pathToDir, kustomize_bin=None, flags=[]):
            return Blob('', {'kustomize': pathToDir})

        def k8s_resource(workload='', new_name='', port_forwards=[], extra_pod_selectors=[], trigger_mode=None,
                         resource_deps=[], objects=[], auto_init=True, pod_readiness='', links=[], labels=[],
                         discovery_strategy=''):
            pass

        def local_resource(name, cmd, deps=None, trigger_mode=None, resource_deps=[], ignore=[], auto_init=True,
                           serve_cmd='', cmd_bat='', serve_cmd_bat='', allow_parallel=False, links=[], labels=[],
                           env={}, serve_env={}, readiness_probe=None, dir='', serve_dir=''):
            pass

        def local(command, quiet=False, command_bat='', echo_off=False, env={}, dir='', stdin=None):
            return Blob('', {'local': command})

        def sync(local_path, remote_path):
            return {'step': 'sync', 'local_path': local_path, 'remote_path': remote_path}

        def run(cmd, trigger=[], echo_off=False):
            return {'step': 'run', 'cmd': cmd, 'trigger': [trigger] if isinstance(trigger, str) else trigger}

        def fall_back_on(files):
            return {'step': 'fall_back_on', 'files': [files] if isinstance(files, str) else files}

        def initial_sync():
            return {'step': 'initial_sync'}

        def restart_container():
            return {'step': 'restart_container'}

        def port_forward(local_port, container_port=None, name=None, link_path=None, host=None):
            return {'local_port': local_port, 'container_port': container_port, 'name': name, 'link_path': link_path, 'host': host}

        def link(url, name=None):
            return {'url': url, 'name': name}

        def read_file(file_path, default=None):
            path = os.path.join(recorder.directory, file_path)
            if not os.path.exists(path) and default is not None:
                return Blob(default, {'default': file_path})
            with open(path, encoding='utf-8') as f:
                return Blob(f.read(), {'file': file_path})

        def read_json(path, default=None):
            full = os.path.join(recorder.directory, path)
            if not os.path.exists(full) and default is not None:
                return default
            with open(full, encoding='utf-8') as f:
                return json.load(f)

        def allow_k8s_contexts(contexts):
            pass

        def k8s_context():
            return recorder.context

        def default_registry(host, host_from_cluster=None, single_name=''):
            pass

        def watch_file(file_path):
            pass

        def update_settings(max_parallel_updates=3, k8s_upsert_timeout_secs=30, suppress_unused_image_warnings=None):
            pass

        def fail(msg):
            raise TiltfileFailed(msg)

        scope = {name: self.api(function) for name, function in locals().items()
                 if inspect.isfunction(function) and name not in ('fail', 'k8s_context')}
        scope['fail'] = fail
        scope['k8s_context'] = k8s_context
        scope['TRIGGER_MODE_AUTO'] = 'TRIGGER_MODE_AUTO'
        scope['TRIGGER_MODE_MANUAL'] = 'TRIGGER_MODE_MANUAL'
        # Tilt's os module: what a Tiltfile reads of its environment.
        scope['os'] = types.SimpleNamespace(
            getenv=lambda key, default=None: os.environ.get(key, default),
            environ=dict(os.environ),
            name=os.name,
            path=types.SimpleNamespace(join=os.path.join, exists=lambda p: os.path.exists(os.path.join(self.directory, p)),
                                       basename=os.path.basename, dirname=os.path.dirname),
        )
        builtins = __builtins__ if isinstance(__builtins__, dict) else vars(__builtins__)
        scope['__builtins__'] = {name: builtins[name] for name in STARLARK_BUILTINS}
        scope['__builtins__'].update({'True': True, 'False': False, 'None': None})
        return scope


def starlark_problems(tree):
    problems = []
    for node in ast.walk(tree):
        for kind, name in NOT_STARLARK.items():
            if isinstance(node, kind):
                problems.append('line %d: %s is Python, not Starlark' % (getattr(node, 'lineno', 0), name))
    return problems


def plain(value):
    """Blobs as what they came from; everything else as JSON has it."""
    if isinstance(value, Blob):
        return {'blob': dict(value.origin)}
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def main():
    parser = argparse.ArgumentParser(description='Runs a Tiltfile in a shim of Tilt and prints its calls as JSON.')
    parser.add_argument('tiltfile')
    parser.add_argument('--context', default='kind-keepsake', help='what k8s_context() answers')
    arguments = parser.parse_args()

    with open(arguments.tiltfile, encoding='utf-8') as f:
        source = f.read()
    tree = ast.parse(source, arguments.tiltfile)
    problems = starlark_problems(tree)
    if problems:
        print('\n'.join(problems), file=sys.stderr)
        return 2

    recorder = Recorder(arguments.tiltfile, arguments.context)
    scope = recorder.namespace()
    try:
        exec(compile(tree, arguments.tiltfile, 'exec'), scope)
    except TiltfileFailed as e:
        print('Tiltfile failed: %s' % e, file=sys.stderr)
        return 1
    except (NameError, TypeError, AttributeError) as e:
        print('%s: %s (not in Tilt\'s API as the shim knows it, or called wrongly)' % (arguments.tiltfile, e), file=sys.stderr)
        return 2

    json.dump({'tiltfile': arguments.tiltfile, 'context': arguments.context, 'calls': plain(recorder.calls)}, sys.stdout, indent=1)
    print()
    return 0


if __name__ == '__main__':
    sys.exit(main())
