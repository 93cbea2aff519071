"""`reviewtui completion bash|zsh|fish`: shell completion scripts generated from the argparse parser.

Written from the parser itself, so a new command or option completes without an edit here, and
without a dependency (shtab, the usual library, has no fish). Commands, options and their
choices complete as words; folders and files where an argument is a path (`--sessions DIR`,
`validate PATH`); free text (`--employee NAME`) not at all.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

from .options import EXIT_OK
from .parser import build_parser


@dataclass
class _Argument:
    """What completes for one option's value or a positional: a list of words, folders, files or nothing."""

    words: list[str] = field(default_factory=list)
    kind: str = "none"  # "words", "dir", "file" or "none"


@dataclass
class _Command:
    """One command (the program itself, `feedback`, `feedback import`) as completion sees it."""

    path: tuple[str, ...]
    help: str
    subcommands: list[_Command] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # options that take no value
    options: dict[str, _Argument] = field(default_factory=dict)  # options that take a value
    positional: _Argument = field(default_factory=_Argument)


def _argument(action: argparse.Action) -> _Argument:
    if action.choices:
        return _Argument([str(choice) for choice in action.choices], "words")
    if action.type is Path:
        return _Argument(kind="dir" if action.metavar == "DIR" else "file")
    return _Argument()


def _command(parser: argparse.ArgumentParser, path: tuple[str, ...], help_text: str) -> _Command:
    command = _Command(path, help_text)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, sub in action.choices.items():
                command.subcommands.append(_command(sub, (*path, name), helps.get(name, "")))
        elif action.option_strings:
            names = [name for name in action.option_strings if name.startswith("--")] or action.option_strings
            if action.nargs == 0:
                command.flags += names
            else:
                command.options.update(dict.fromkeys(names, _argument(action)))
        elif action.dest != argparse.SUPPRESS:
            command.positional = _argument(action)
    return command


def _all(command: _Command) -> list[_Command]:
    return [command, *(found for sub in command.subcommands for found in _all(sub))]


def _quoted(words: list[str]) -> str:
    return " ".join(words)


def _bash(root: _Command) -> str:
    program = root.path[0]
    function = f"_{program}_complete"
    walk = "\n".join(
        f'            "{" ".join(command.path[1:-1])}|{command.path[-1]}") path="{" ".join(command.path[1:])}" ;;'
        for command in _all(root)[1:]
    )
    values = []
    for command in _all(root):
        where = " ".join(command.path[1:])
        for option, argument in command.options.items():
            reply = {
                "words": f'COMPREPLY=($(compgen -W "{_quoted(argument.words)}" -- "$cur"))',
                "dir": 'COMPREPLY=($(compgen -d -- "$cur"))',
                "file": 'COMPREPLY=($(compgen -f -- "$cur"))',
                "none": "COMPREPLY=()",
            }[argument.kind]
            values.append(f'        "{where}|{option}") {reply}; return ;;')
    cases = []
    for command in _all(root):
        words = [sub.path[-1] for sub in command.subcommands] + command.positional.words
        options = command.flags + list(command.options)
        files = {"file": "-f", "dir": "-d"}.get(command.positional.kind, "")
        cases.append(
            f'        "{" ".join(command.path[1:])}") words="{_quoted(words)}"; '
            f'options="{_quoted(options)}"; files="{files}" ;;'
        )
    return f"""# bash completion for {program}: eval "$({program} completion bash)" in ~/.bashrc
{function}() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    local path="" word i words="" options="" files=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${{COMP_WORDS[i]}}"
        case "$path|$word" in
{walk}
        esac
    done
    case "$path|$prev" in
{chr(10).join(values)}
    esac
    case "$path" in
{chr(10).join(cases)}
    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
    else
        COMPREPLY=($(compgen -W "$words" -- "$cur"))
        if [[ -n "$files" ]]; then
            COMPREPLY+=($(compgen "$files" -- "$cur"))
        fi
    fi
}}
complete -o filenames -F {function} {program}
"""


def _zsh(root: _Command) -> str:
    # zsh runs the bash function through its own bashcompinit, so both shells complete alike.
    program = root.path[0]
    return (
        f'# zsh completion for {program}: eval "$({program} completion zsh)" in ~/.zshrc\n'
        "(( $+functions[compdef] )) || { autoload -U +X compinit && compinit }\n"
        "autoload -U +X bashcompinit && bashcompinit\n" + _bash(root).split("\n", 1)[1]
    )


def _fish_text(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish(root: _Command) -> str:
    program = root.path[0]
    lines = [
        f"# fish completion for {program}: {program} completion fish | source",
        f"complete -c {program} -f",
    ]
    for command in _all(root):
        if len(command.path) == 1:
            condition = "__fish_use_subcommand"
        else:
            below = " ".join(sub.path[-1] for sub in command.subcommands)
            condition = f"__fish_seen_subcommand_from {command.path[-1]}"
            if below:
                condition += f"; and not __fish_seen_subcommand_from {below}"
        where = f"-n {_fish_text(condition)}"
        for sub in command.subcommands:
            lines.append(f"complete -c {program} {where} -a {sub.path[-1]} -d {_fish_text(sub.help)}")
        if command.positional.kind == "words":
            lines.append(f"complete -c {program} {where} -a {_fish_text(_quoted(command.positional.words))}")
        elif command.positional.kind in ("file", "dir"):
            lines.append(f"complete -c {program} {where} -F")
        for flag in command.flags:
            lines.append(f"complete -c {program} {where} {_fish_option(flag)}")
        for option, argument in command.options.items():
            value = {
                "words": f"-x -a {_fish_text(_quoted(argument.words))}",
                "dir": "-x -a '(__fish_complete_directories)'",
                "file": "-r -F",
                "none": "-x",
            }[argument.kind]
            lines.append(f"complete -c {program} {where} {_fish_option(option)} {value}")
    return "\n".join(lines) + "\n"


def _fish_option(option: str) -> str:
    return f"-l {option[2:]}" if option.startswith("--") else f"-s {option[1:]}"


def completion_script(parser: argparse.ArgumentParser, shell: str) -> str:
    """The completion script for `shell`, from every command and option of `parser`."""
    root = _command(parser, (parser.prog,), parser.description or "")
    return {"bash": _bash, "zsh": _zsh, "fish": _fish}[shell](root)


def cmd_completion(args: argparse.Namespace) -> int:
    """Print the completion script for `args.shell` (one of `parser.SHELLS`)."""
    print(completion_script(build_parser(), args.shell), end="")
    return EXIT_OK


COMMANDS = {"completion": cmd_completion}
