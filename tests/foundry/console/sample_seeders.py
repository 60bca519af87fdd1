"""Seeders the console tests run with ``db:seed --class tests.foundry.console.sample_seeders...``."""

from __future__ import annotations

from sqlalchemy import text

from foundry.database.seeding import Seeder


class ProductTableSeeder(Seeder):
    """Creates the products table (tests have no migrations for it), empty."""

    async def run(self) -> None:
        await self.session.execute(
            text("CREATE TABLE IF NOT EXISTS products (id INTEGER PRIMARY KEY, name TEXT)")
        )


class ProductSeeder(Seeder):
    """Fills the products table, creating it first if needed."""

    async def run(self) -> None:
        await ProductTableSeeder(self.session).run()
        await self.session.execute(
            text("INSERT INTO products (id, name) VALUES (1, 'Lamp'), (2, 'Desk')")
        )


class ReviewSeeder(Seeder):
    """Depends on the products being there."""

    async def run(self) -> None:
        await self.session.execute(
            text("CREATE TABLE IF NOT EXISTS reviews (id INTEGER PRIMARY KEY, product_id INTEGER)")
        )
        await self.session.execute(text("INSERT INTO reviews (id, product_id) VALUES (1, 1)"))


class ShopSeeder(Seeder):
    """The root: calls the others in order."""

    async def run(self) -> None:
        await self.call(ProductSeeder, ReviewSeeder)


class BrokenSeeder(Seeder):
    """Writes, then fails: nothing it wrote may stay."""

    async def run(self) -> None:
        await self.call(ProductSeeder)
        raise RuntimeError("the review service is down")
