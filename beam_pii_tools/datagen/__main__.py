"""`python -m beam_pii_tools.datagen --out DIR [--n_candidates N] [--seed S] [--injections]`:
writes DIR/train.jsonl and DIR/dev.jsonl (each family's fixed split) and prints counts."""
from __future__ import annotations

import argparse
import os
import sys

from beam_pii_tools.datagen.dataset import format_summary, generate, summarize, train_dev, write_jsonl


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m beam_pii_tools.datagen",
                                     description="Write the labelled train/dev data from the template families.")
    parser.add_argument("--out", required=True, help="output folder for train.jsonl and dev.jsonl")
    parser.add_argument("--n_candidates", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--injections", action="store_true", help="also write injections.jsonl")
    args = parser.parse_args(argv)
    records = generate(args.n_candidates, args.seed)
    train, dev = train_dev(records)
    write_jsonl(train, os.path.join(args.out, "train.jsonl"))
    write_jsonl(dev, os.path.join(args.out, "dev.jsonl"))
    print(format_summary("all  ", summarize(records)))
    print(format_summary("train", summarize(train)))
    print(format_summary("dev  ", summarize(dev)))
    if args.injections:
        from beam_pii_tools.datagen.injection import make_injection_cases

        cases = make_injection_cases()
        write_jsonl(cases, os.path.join(args.out, "injections.jsonl"))
        print(f"injections: {len(cases)} records")
    print(f"wrote {os.path.join(args.out, 'train.jsonl')} and {os.path.join(args.out, 'dev.jsonl')}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
