#!/usr/bin/env python3
"""The order book of docs/examples/2019-japan-korea.md: a Japanese chemical and materials exporter's open order lines,
June to December 2019 (fixed seed, so the file is the same on every run):

    python3 docs/examples/make-2019-orders.py > docs/examples/2019-orders.jsonl
    python3 docs/examples/make-2019-orders.py 340000 > book-1m.jsonl     # the impact benchmark's book (about 1M lines)

Lines of the three materials of the 4 July 2019 measure (hydrogen fluoride, fluorinated polyimide, resist), of other
listed goods (machine tools, materials processing, electronics, sensors) and of unlisted goods (row 16, with the end
use the customer declared) to Korean customers and to customers elsewhere. Some lines name the bulk licence the
exporter holds for them."""
import json
import random
import sys

rng = random.Random(20190701)

CUSTOMERS = {
    "KR": ["Samsung Electronics", "SK Hynix", "LG Display", "LG Chem", "Hanwha Solutions", "POSCO Chemical", "Soulbrain", "Dongjin Semichem"],
    "TW": ["Taiwan Semiconductor Manufacturing", "United Microelectronics"],
    "CN": ["BOE Technology Group", "Hua Hong Semiconductor"],
    "US": ["Intel Corporation", "Micron Technology"],
    "DE": ["Infineon Technologies"],
    "SG": ["GlobalFoundries Singapore"],
}
DESTINATIONS = ["KR"] * 12 + ["TW"] * 3 + ["CN"] * 2 + ["US"] * 2 + ["DE"] + ["SG"]

# (item, what, JPY per kg or unit, unit, share)
MATERIALS = [("JP:3(1)/2(1)(i)(he)", 2_400, "kg"), ("JP:5(17)/4(xiv)(ro)", 95_000, "kg"), ("JP:7(19)", 380_000, "kg")]
LISTED = [("JP:6(1)", 18_500_000, "pcs"), ("JP:6(2)", 9_800_000, "pcs"), ("JP:3(1)", 3_100, "kg"), ("JP:10(1)", 4_200_000, "pcs"),
          ("JP:9(1)", 2_600_000, "pcs"), ("JP:2(3)", 7_400_000, "pcs")]
UNLISTED = [("JP:16", 150_000, "pcs")]


def month_day(rng):
    # Planned ship dates from 3 Jun to 20 Dec 2019, denser in the summer.
    month = rng.choice([6, 7, 7, 8, 8, 9, 9, 10, 11, 12])
    day = rng.randint(1, 28 if month != 12 else 20)
    if month == 6 and day < 3:
        day = 3
    return f"2019-{month:02d}-{day:02d}"


ORDERS = int(sys.argv[1]) if len(sys.argv) > 1 else 120

out = sys.stdout
for order in range(1, ORDERS + 1):
    to = rng.choice(DESTINATIONS)
    customer = rng.choice(CUSTOMERS[to])
    date = month_day(rng)
    for number in range(1, rng.randint(2, 4) + 1):
        kind = rng.random()
        if kind < 0.45:
            item, price, unit = rng.choice(MATERIALS)
        elif kind < 0.75:
            item, price, unit = rng.choice(LISTED)
        else:
            item, price, unit = rng.choice(UNLISTED)
        quantity = rng.randint(1, 40) if unit == "pcs" else rng.randint(5, 2_000)
        line = {
            "id": f"SO-{order:04d}-{number}",
            "order": f"SO-{order:04d}",
            "line": str(number),
            "customer": customer,
            "end_user": customer,
            "date": date,
            "from": "JP",
            "to": to,
            "item": item,
            "quantity": {"amount": quantity, "unit": unit},
            "value": {"amount": quantity * price, "currency": "JPY"},
        }
        if item == "JP:16":
            line["end_use"] = rng.choice(["civil"] * 6 + ["conventional-military", "wmd"])
        else:
            line["end_use"] = "civil"
        # The exporter holds a general bulk licence for white-country trade and, for two Korean customers, a special
        # general bulk licence (a compliance programme inspected by METI).
        if to == "KR" and customer in ("LG Chem", "POSCO Chemical") and item not in ("JP:16",):
            line["held"] = ["special-general-bulk"]
        elif to in ("KR", "US", "DE") and item != "JP:16":
            line["held"] = ["general-bulk"]
        out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
