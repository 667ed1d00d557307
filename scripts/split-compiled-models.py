#!/usr/bin/env python3
"""Splits a generated EF entity type past the 300-line limit by operation, as partial class files: Create keeps the
entity type and calls AddProperties (NAME.Properties.cs, and NAME.Properties2.cs on when one file is too long) and AddKeysAndIndexes (NAME.KeysAndIndexes.cs), which finds
the properties it needs by name. The compiled model stays the same: CompiledModelTests compares it with the mappings'."""
import re
import sys
from pathlib import Path

LIMIT = 300
PROPERTY = re.compile(r'^            var (\w+) = runtimeEntityType\.AddProperty\(\n\s+"(\w+)"', re.M)


def split(path: Path) -> None:
    lines = path.read_text(encoding='utf-8-sig').split('\n')
    if len(lines) <= LIMIT:
        return
    first = next(i for i, l in enumerate(lines) if l.startswith('            var ') and 'runtimeEntityType.AddProperty(' in l)
    keys = next(i for i, l in enumerate(lines) if re.match(r'            var \w+ = runtimeEntityType\.Add(Key|Index)\(', l))
    end = next(i for i, l in enumerate(lines) if l == '            return runtimeEntityType;')
    head = lines[:lines.index('    {') + 1]
    name = path.stem
    properties = lines[first:keys]
    keyed = lines[keys:end]
    variables = dict(PROPERTY.findall('\n'.join(properties)))
    used = [v for v in variables if re.search(r'\b%s\b' % v, '\n'.join(keyed))]

    def part(method: str, body: list[str]) -> str:
        return '\n'.join(head[:-3] + ['    public partial class ' + name, '    {',
            f'        private static void {method}(RuntimeEntityType runtimeEntityType)', '        {']
            + body + ['        }', '    }', '}', ''])

    lookups = [f'            var {v} = runtimeEntityType.FindProperty("{variables[v]}");' for v in used]
    # Properties in files of at most LIMIT lines each, cut where a property begins: AddProperties, AddProperties2, ...
    body = properties[:-1] if properties[-1] == '' else properties
    starts = [i for i, l in enumerate(body) if l.startswith('            var ') and 'runtimeEntityType.AddProperty(' in l] + [len(body)]
    chunks, begin = [], 0
    for a, b in zip(starts, starts[1:]):
        if b - begin > LIMIT - 20 and a > begin:
            chunks.append(body[begin:a])
            begin = a
    chunks.append(body[begin:])
    methods = ['AddProperties' + (str(n + 1) if n else '') for n in range(len(chunks))]
    for n, (method, chunk) in enumerate(zip(methods, chunks)):
        Path(path.with_name(f'{name}.Properties{n + 1 if n else ""}.cs')).write_text(part(method, chunk), encoding='utf-8')
    Path(path.with_name(f'{name}.KeysAndIndexes.cs')).write_text(part('AddKeysAndIndexes', lookups + [''] + keyed[:-1] if keyed[-1] == '' else lookups + [''] + keyed), encoding='utf-8')
    calls = [f'            {m}(runtimeEntityType);' for m in methods]
    path.write_text('\n'.join(lines[:first] + calls + ['            AddKeysAndIndexes(runtimeEntityType);', ''] + lines[end:]), encoding='utf-8-sig')


for file in sys.argv[1:]:
    split(Path(file))
