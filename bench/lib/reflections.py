#!/usr/bin/env python3
"""Realistic post bodies for the server benchmarks: n lines of JSON create bodies
({"id", "kind", "body"}), 120-360 characters of words drawn from a few hundred, so that the feed
compresses about as much as real reflections do (gzip's gain on a page of repeated sentences
would flatter the compressed rows). Deterministic: the same n gives the same bodies.
Usage: reflections.py N [id-prefix]"""
import json
import random
import sys

WORDS = """a about after again all also always an and answer any are around as ask at away back be
because been before being best better between both bring build but by call came can care change
check checklist class client colleague come could course customer daily data day decide did
different do does done door down drill during each early easy else end enough even every example
exit explain extinguisher fact feedback few find first fix follow for found from full gave get
give go goal good great group had handover happen hard has have he help her here him his hold
how idea if important improve in instead into is it its just keep kind know last later lead
learn learned leave less let like list listen little long look lot made make manager many may
me meeting mind module more most much must my need never new next no not note now of off often
on once one only open or order other our out over own part people person plan point practice
problem process question quick rather read ready real reason remember report right risk role
rule run safe safety said same saw say schedule see seen set shift short should show shift side
since small so some someone something soon start step still stop story sure system take talk
task team tell than that the their them then there these they thing think this those though
time tip to today together told too tool took training try turn two under understand until up
us use used very wait walk want warden was way we week weekly well went were what when where
which while who why will with work worked would write wrote year yes yet you your""".split()

def main():
    n = int(sys.argv[1])
    prefix = sys.argv[2] if len(sys.argv) > 2 else "seed"
    rng = random.Random(20261205)
    for i in range(n):
        target = rng.randint(120, 360)
        words = [f"Reflection {i}:"]
        length = len(words[0])
        while length < target:
            w = rng.choice(WORDS)
            words.append(w)
            length += 1 + len(w)
        body = " ".join(words)[:360].rstrip() + "."
        print(json.dumps({"id": f"{prefix}-{i}", "kind": "insight", "body": body}))

if __name__ == "__main__":
    main()
