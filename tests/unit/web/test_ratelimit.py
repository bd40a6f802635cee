"""The counting: a burst at once, then one request per interval; a refusal charges nothing."""

import pytest
from litestar.stores.memory import MemoryStore

from server.settings import HOUR, MINUTE, Limit, RateLimits
from server.web.ratelimit import RateLimiter

THREE_A_MINUTE = Limit(3, MINUTE, burst=3)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def limiter(clock: Clock) -> RateLimiter:
    return RateLimiter(MemoryStore(), RateLimits(), clock=clock)


async def test_burst_passes_then_the_wait_is_one_interval(limiter: RateLimiter) -> None:
    for _ in range(3):
        assert await limiter.hit([("k", THREE_A_MINUTE)]) is None
    assert await limiter.hit([("k", THREE_A_MINUTE)]) == 20


async def test_refusals_charge_nothing_and_the_bucket_refills(
    limiter: RateLimiter, clock: Clock
) -> None:
    for _ in range(3):
        await limiter.hit([("k", THREE_A_MINUTE)])
    for _ in range(5):
        assert await limiter.hit([("k", THREE_A_MINUTE)]) == 20
    clock.now += 15
    assert await limiter.hit([("k", THREE_A_MINUTE)]) == 5
    clock.now += 5
    assert await limiter.hit([("k", THREE_A_MINUTE)]) is None
    assert await limiter.hit([("k", THREE_A_MINUTE)]) == 20
    clock.now += 60
    for _ in range(3):
        assert await limiter.hit([("k", THREE_A_MINUTE)]) is None


async def test_keys_are_counted_apart(limiter: RateLimiter) -> None:
    for _ in range(3):
        await limiter.hit([("a", THREE_A_MINUTE)])
    assert await limiter.hit([("a", THREE_A_MINUTE)]) == 20
    assert await limiter.hit([("b", THREE_A_MINUTE)]) is None


async def test_a_request_is_charged_to_all_its_keys_or_none(limiter: RateLimiter) -> None:
    tight = Limit(1, HOUR, burst=1)
    assert await limiter.hit([("phone", tight)]) is None
    for _ in range(3):
        assert await limiter.hit([("client", THREE_A_MINUTE), ("phone", tight)]) == HOUR
    # The refused requests did not use up the address's allowance.
    for _ in range(3):
        assert await limiter.hit([("client", THREE_A_MINUTE)]) is None


def test_limits_parse_from_the_environment() -> None:
    limits = RateLimits.from_env(
        {"RATE_LIMIT_MESSAGES": "600/hour", "RATE_LIMIT_SIGN_IN_PER_PHONE": "5/hour,2"}
    )
    assert limits.messages == Limit(600, HOUR, burst=600)
    assert limits.sign_in_per_phone == Limit(5, HOUR, burst=2)
    assert limits.offers == RateLimits().offers


@pytest.mark.parametrize("text", ["", "600", "600/fortnight", "0/hour", "10/hour,0", "x/hour"])
def test_unreadable_limits_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="rate limit"):
        Limit.parse(text)
