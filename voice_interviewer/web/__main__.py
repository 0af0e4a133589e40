"""`python -m voice_interviewer.web [options]`: the same as `voice-interviewer serve`."""

import argparse
import sys

from voice_interviewer.web.command import add_subcommand


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m voice_interviewer.web")
    add_subcommand(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["serve", *(sys.argv[1:] if argv is None else argv)])
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
