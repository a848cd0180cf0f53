#!/usr/bin/env python3
"""Regenerate the KEYS and THEMES sections of docs/krakterm.1 from the tables in
docs/keys.md and docs/themes.md (the block between the BEGIN GENERATED and END
GENERATED comments). Run after changing either table:
    python3 docs/gen-man-sections.py [TOP_SRCDIR]
tests/unit/test_docs.c fails when an action or a slot is missing from the man page."""
import os
import re
import sys

top = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

def esc(t):
    t = t.replace('\\', '\\e')
    t = t.replace('…', '\\&...').replace('–', '\\(en').replace('—', '\\(em').replace('×', '\\(mu')
    t = re.sub(r'`([^`]*)`', lambda m: '\\fB' + m.group(1).replace('-', '\\-') + '\\fP', t)
    # hyphens outside \fB..\fP that are options/names: leave as is (groff hyphen)
    return t

def rows(md, header):
    lines = open(md).read().split('\n')
    i = next(k for k, l in enumerate(lines) if l.startswith(header))
    out = []
    for l in lines[i + 2:]:
        if not l.startswith('|'):
            break
        out.append([c.strip() for c in l.strip().strip('|').split('|')])
    return out

def line(t):
    t = esc(t)
    return ('\\&' + t) if t[:1] in '.\'' else t

keys = ['.SH KEYS',
        'Key bindings are data: the key maps',
        '.I keymaps/default.conf',
        'and',
        '.I keymaps/vim.conf',
        'ship with krakterm, chosen with',
        '.BR keymap " in the configuration file;"',
        '.I keys.conf',
        'in the configuration directory overrides or adds bindings',
        '(binding a key to',
        '.B none',
        'removes it). Each binding belongs to a context:',
        ]
ctx = rows(top + '/docs/keys.md', '| context |')
keys.append(', '.join(esc(c[0]) for c in ctx) + '.')
keys += ['A key not bound in the focused pane\'s context falls back to',
         '.BR global .',
         'The actions, with their keys in the default and the vim map',
         '(the help overlay,',
         '.BR ? ,',
         'lists the active ones):']
for r in rows(top + '/docs/keys.md', '| action |'):
    keys += ['.TP', line(r[0] + '  (' + r[1] + '; vim: ' + r[2] + ')'), line(r[3])]
keys += ['.PP', 'See', '.IR docs/keys.md .']

themes = ['.SH THEMES',
          'Themes are data:',
          '.I themes/dark.conf',
          '(the default),',
          '.I themes/light.conf',
          'and',
          '.IR themes/mono.conf ,',
          'chosen with',
          '.BR theme " in the configuration file."',
          'Each names colours for semantic slots; 256\\-colour terminals use',
          '.BR fg256 / bg256 ,',
          '16\\- and 8\\-colour terminals',
          '.BR fg / bg ,',
          'and monochrome terminals (or',
          '.BR NO_COLOR )',
          'the',
          '.B mono',
          'attributes. The slots:']
for r in rows(top + '/docs/themes.md', '| slot |'):
    themes += ['.TP', line(r[0]), line(r[1])]
themes += ['.PP', 'See', '.IR docs/themes.md .']

man = top + '/docs/krakterm.1'
s = open(man).read()
block = '.\\" BEGIN GENERATED: KEYS and THEMES by docs/gen-man-sections.py\n' + \
        '\n'.join(keys + themes) + '\n.\\" END GENERATED\n'
if '.\\" BEGIN GENERATED' in s:
    s = re.sub(r'\.\\" BEGIN GENERATED.*?\.\\" END GENERATED\n', lambda m: block, s, flags=re.S)
else:
    i = s.index('.SH PROFILES')
    s = s[:i] + block + s[i:]
open(man, 'w').write(s)
