"""The demo catalog: brands' models in colours and sizes, and stock by warehouse and grade."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from models import Grade, Lifecycle
from portal.demo.vocabulary import (
    ACETATE_COLOURS,
    BRANDS,
    KIDS_COLOURS,
    METAL_COLOURS,
    SPORT_COLOURS,
    SUN_LENSES,
    Brand,
)

ALWAYS = 100_000  # "selling since" for models launched before the demo period


@dataclass(frozen=True)
class ProductSpec:
    sku: str
    brand: int  # index into BRANDS
    model: str
    colour: str
    eye: int
    bridge: int
    temple: int
    category: str
    list_price: Decimal
    lifecycle: Lifecycle
    selling_since: int  # days before today the model was launched
    selling_until: int  # days before today it stopped selling (0: still sells)

    def row(self) -> dict:
        return {
            "sku": self.sku,
            "brand": BRANDS[self.brand].name,
            "model": self.model,
            "colour": self.colour,
            "eye_size": self.eye,
            "bridge_size": self.bridge,
            "temple_length": self.temple,
            "category": self.category,
            "list_price": self.list_price,
            "lifecycle": self.lifecycle,
        }


def generate_products(rng: random.Random, count: int, period_days: int) -> list[ProductSpec]:
    """``count`` SKUs, brands taking turns adding a model with all its variants."""
    products: list[ProductSpec] = []
    model_numbers = [rng.randrange(1000, 4000, 10) for _ in BRANDS]
    turn = 0
    while len(products) < count:
        index = turn % len(BRANDS)
        model_numbers[index] += rng.randint(1, 9)
        products.extend(_model(rng, index, model_numbers[index], period_days))
        turn += 1
    return products[:count]


def _model(rng: random.Random, index: int, number: int, period_days: int) -> list[ProductSpec]:
    brand = BRANDS[index]
    category = rng.choices(*zip(*brand.categories, strict=True))[0]
    name = f"{rng.choice(brand.model_words)} {number}"
    low, high = brand.price_range
    list_price = Decimal(rng.randrange(low // 10, high // 10 + 1) * 10 + 9).quantize(
        Decimal("0.01")
    )
    lifecycle, since, until = _life(rng, period_days)
    sizes = _sizes(rng, category)  # every colour of a model comes in the same sizes
    return [
        ProductSpec(
            sku=f"{brand.code}{number}-C{c:02d}-{eye}",
            brand=index,
            model=name,
            colour=colour,
            eye=eye,
            bridge=bridge,
            temple=temple,
            category=category,
            list_price=list_price,
            lifecycle=lifecycle,
            selling_since=since,
            selling_until=until,
        )
        for c, colour in enumerate(_colours(rng, brand, category), start=1)
        for eye, bridge, temple in sizes
    ]


def _life(rng: random.Random, period_days: int) -> tuple[Lifecycle, int, int]:
    since = ALWAYS if rng.random() < 0.65 else rng.randint(45, period_days - 30)
    roll = rng.random()
    if roll < 0.12 and since > 150:
        return Lifecycle.DISCONTINUED, since, rng.randint(60, min(since, period_days) - 60)
    if roll < 0.20:
        return Lifecycle.CLEARANCE, since, 0
    return Lifecycle.ACTIVE, since, 0


def _colours(rng: random.Random, brand: Brand, category: str) -> list[str]:
    if category == "kids":
        return rng.sample(KIDS_COLOURS, rng.randint(2, 4))
    if category == "sport":
        return rng.sample(SPORT_COLOURS, rng.randint(2, 4))
    palette = METAL_COLOURS if rng.random() < brand.metal_share else ACETATE_COLOURS
    frames = rng.sample(palette, rng.randint(3, min(6, len(palette))))
    if category == "sun":
        return [f"{frame} / {rng.choice(SUN_LENSES)}" for frame in frames]
    return frames


def _sizes(rng: random.Random, category: str) -> list[tuple[int, int, int]]:
    """Eye-bridge-temple sizes of one model: larger eyes come with wider bridges."""
    if category == "kids":
        eyes, count, bridge = (46, 47, 48), rng.randint(1, 2), rng.randint(14, 16)
    elif category == "sport":
        eyes, count, bridge = (56, 57, 58), 1, rng.randint(16, 18)
    elif category == "sun":
        eyes, count, bridge = (52, 53, 54, 55, 56), rng.randint(1, 2), rng.randint(16, 20)
    else:
        eyes, count, bridge = (48, 49, 50, 51, 52, 53, 54), rng.randint(2, 3), rng.randint(15, 20)
    first = rng.choice(eyes)
    sizes = []
    for step in range(count):
        eye = first + 2 * step
        if eye > 58:
            break
        temple = 135 if eye <= 48 or category == "kids" else 140 if eye <= 52 else 145
        if eye >= 56:
            temple = 150 if category == "sport" else 145
        sizes.append((eye, min(bridge + step, 22), temple))
    return sizes


def inventory_rows(
    rng: random.Random, products: list[ProductSpec], ids: list[int], warehouses: list[int]
) -> list[dict]:
    """New stock for most SKUs in the central warehouse, less in the second, some B-stock."""
    central, *others = warehouses
    rows = []

    def add(product_id: int, warehouse_id: int, grade: Grade, quantity: int) -> None:
        rows.append(
            {
                "product_id": product_id,
                "warehouse_id": warehouse_id,
                "grade": grade,
                "quantity": quantity,
            }
        )

    for product, product_id in zip(products, ids, strict=True):
        sells = product.lifecycle != Lifecycle.DISCONTINUED
        if sells or rng.random() < 0.4:
            add(product_id, central, Grade.NEW, rng.randint(0, 80 if sells else 5))
        for warehouse_id in others:
            if sells and rng.random() < 0.55:
                add(product_id, warehouse_id, Grade.NEW, rng.randint(0, 40))
        if rng.random() < 0.10:
            add(product_id, central, Grade.OPEN_PACKAGING, rng.randint(1, 6))
        if rng.random() < 0.04:
            add(product_id, central, Grade.LIGHTLY_DAMAGED, rng.randint(1, 3))
        if others and rng.random() < 0.02:
            add(product_id, others[0], Grade.OPEN_PACKAGING, rng.randint(1, 4))
    return rows
