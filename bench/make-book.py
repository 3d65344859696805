#!/usr/bin/env python3
"""A shipment book for `clearance shipments submit` benchmarks and tests, from a fixed seed.

    bench/make-book.py [--lines 100000] [--parties 5000] [--licences 200] [--seed 20261201] OUT_DIR

writes OUT_DIR/book.jsonl (the lines) and OUT_DIR/licenses.jsonl (for `clearance licenses import`). Japanese exporters
ship resist, hydrogen fluoride, fluorinated polyimide and other goods in 2019-2020, mostly to Korea (individual
licences needed from 4 July 2019; 200 licences, each for one exporter, item and consignee, some too small for what is
drawn on them), also to the US, China, the UAE, Taiwan and a few to North Korea (prohibited); some lines leave the end
use unknown (held, indeterminate), and a few parties are real Japanese End User List entries (held for the match when
the lists are imported). About one line in 200 repeats an earlier id (stored once, drawn once).
"""
import argparse
import json
import os
import random

EXPORTERS = ["Kanto Fine Chemicals Co., Ltd.", "Shinsei Resist K.K.", "Osaka Fluoro Materials Co., Ltd.", "Hokuriku Polymer Co., Ltd."]
ITEMS = {  # licensed items (Korea, from 4 July 2019) and their weight in the book
    "JP:7(19)": 4, "JP:3(1)/2(1)(i)(he)": 3, "JP:5(17)/4(xiv)(ro)": 2,
}
OTHER_ITEMS = ["JP:16", "JP:16", "JP:7(19)", "JP:3(1)"]
DESTINATIONS = [("KR", 70), ("US", 8), ("CN", 8), ("TW", 6), ("AE", 5), ("KP", 1)]
# Real entries of Japan's End User List (meti_eul_2025-09-29.csv), used as a few end users.
LISTED = ["Emirates Alloys LLC", "Mahrous Trading FZE", "Pegasus General Trading FZE", "Modern Technologies FZC (MTFZC)",
          "DIAMOND CASTLE ELECTRONICS TRADING LLC", "ADVANTAGE TRADING CO., LIMITED"]
STEMS = ["Hanbit", "Daesung", "Mirae", "Saehan", "Jinwoo", "Hyosan", "Kumho", "Seoul", "Busan", "Incheon", "Gyeonggi", "Ulsan",
         "Pacific", "Orient", "Sunrise", "Blue Ocean", "Golden Gate", "Silicon", "Delta", "Apex", "Nova", "Vertex", "Summit",
         "Evergreen", "Harmony", "Pioneer", "Crest", "Keystone", "Meridian", "Zenith", "Taeyang", "Donghae", "Namsan", "Hallim"]
TRADES = ["Semiconductor", "Display", "Electronics", "Materials", "Chemical", "Precision", "Micro Devices", "Photonics",
          "Wafer", "Circuit", "Trading", "Logistics", "Industrial", "Technology", "Engineering", "Components", "Optics"]
FORMS = ["Co., Ltd.", "Corporation", "Inc.", "Ltd.", "Limited", "Company", "Holdings", "LLC"]


def party_names(rng, count):
    names = set()
    while len(names) < count:
        name = f"{rng.choice(STEMS)} {rng.choice(TRADES)} {rng.choice(FORMS)}"
        if rng.random() < 0.5:
            name = f"{rng.choice(STEMS)} {name}"
        if name in names:
            name = f"{name.rsplit(' ', 1)[0]} {rng.randint(2, 99)} {name.rsplit(' ', 1)[1]}"
        names.add(name)
    return sorted(names)


def date(rng, start_day, span):
    import datetime
    return (datetime.date(2019, 1, 1) + datetime.timedelta(days=start_day + rng.randrange(span))).isoformat()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--lines", type=int, default=100_000)
    p.add_argument("--parties", type=int, default=5_000)
    p.add_argument("--licences", type=int, default=200)
    p.add_argument("--seed", type=int, default=20261201)
    a = p.parse_args()
    rng = random.Random(a.seed)
    parties = party_names(rng, a.parties - len(LISTED)) + LISTED
    ordinary = parties[:-len(LISTED)]
    os.makedirs(a.out, exist_ok=True)

    # Licences: one exporter, item and consignee each, valid a year from a date in July 2019 - March 2020; limits sized
    # so that most last the book and some run out (their later lines are held for the balance).
    licensed = []
    with open(os.path.join(a.out, "licenses.jsonl"), "w", encoding="utf-8") as f:
        items = [i for i, w in ITEMS.items() for _ in range(w)]
        for n in range(a.licences):
            exporter, item, consignee = rng.choice(EXPORTERS), rng.choice(items), rng.choice(ordinary)
            start = date(rng, 181 + 35, 250)  # from 5 Aug 2019
            end = f"{int(start[:4]) + 1}{start[4:]}"
            licensed.append((exporter, item, consignee, start))
            f.write(json.dumps({
                "number": f"METI-{start[:4]}-{n + 1:04d}", "jurisdiction": "JP", "type": "individual", "holder": exporter,
                "items": [item], "destinations": ["KR"], "consignees": [consignee], "valid_from": start, "valid_to": end,
                "quantity": {"amount": rng.choice([2_000, 5_000, 20_000, 50_000]), "unit": "kg"},
            }) + "\n")

    destinations = [d for d, w in DESTINATIONS for _ in range(w)]
    other_items = list(ITEMS) + OTHER_ITEMS
    ids = {}
    with open(os.path.join(a.out, "book.jsonl"), "w", encoding="utf-8") as f:
        for n in range(a.lines):
            if ids and rng.random() < 0.005:
                f.write(ids[rng.randrange(len(ids))])  # the same line sent again: stored once, drawn once
                continue
            line_id = f"SO-{n // 4 + 1:06d}/{n % 4 + 1}"
            to = rng.choice(destinations)
            record = {"id": line_id, "order": line_id.split("/")[0], "line": int(line_id.split("/")[1])}
            if to == "KR" and rng.random() < 0.75:
                exporter, item, consignee, start = rng.choice(licensed)  # a licensed flow, mostly in the licence's year
                end_user = consignee if rng.random() < 0.6 else rng.choice(ordinary)
                day = date(rng, (int(start[:4]) - 2019) * 365 + int(start[5:7]) * 30 - 60, 380)
            else:
                exporter, item, consignee = rng.choice(EXPORTERS), rng.choice(other_items), rng.choice(ordinary)
                end_user = rng.choice(LISTED) if to in ("AE", "CN") and rng.random() < 0.05 else rng.choice(ordinary)
                day = date(rng, 0, 730)
            record.update({
                "exporter": exporter, "date": day, "from": "JP", "to": to, "item": item,
                "end_use": "unknown" if rng.random() < 0.05 else "civil",
                "consignee": consignee, "end_user": end_user,
                "quantity": {"amount": rng.choice([5, 10, 20, 25, 50, 100, 200]), "unit": "kg"},
            })
            text = json.dumps(record, ensure_ascii=False) + "\n"
            ids[len(ids)] = text
            f.write(text)


if __name__ == "__main__":
    main()
