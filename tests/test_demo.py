import pandas as pd

from reportkit.sources import demo


def test_demo_data_is_deterministic():
    client = demo.DEMO_CLIENTS["northwind_b2b"]
    a, ua = demo.generate(client)
    b, ub = demo.generate(client)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(ua, ub)


def test_three_business_models_with_25_months_and_the_story_ingredients():
    models = {c.business_model for c in demo.DEMO_CLIENTS.values()}
    assert models == {"ecommerce", "leadgen", "publisher"}
    for client in demo.DEMO_CLIENTS.values():
        facts, users = demo.generate(client)
        facts["date"] = pd.to_datetime(facts["date"])
        months = facts["date"].dt.to_period("M").nunique()
        assert months >= 25
        # the tracking outage: no sessions at all on those days, while ads still cost money
        out = facts[facts["date"].between(*map(pd.Timestamp, client.outage))]
        assert out["sessions"].sum() == 0
        # a campaign launched mid-way has no rows before its launch
        launched = [s for s in client.streams if s.launch]
        assert launched
        rows = facts[facts["campaign"] == launched[0].campaign]
        assert rows["date"].min() == pd.Timestamp(launched[0].launch)
        # users are monthly, never per day
        assert set(users.columns) == {"start", "end", "users"} and len(users) >= 25


def test_a_channel_declines():
    facts, _ = demo.generate(demo.DEMO_CLIENTS["acme_outdoor"])
    facts["date"] = pd.to_datetime(facts["date"])
    referral = facts[facts["channel"] == "Referral"].groupby(facts["date"].dt.year)["sessions"].mean()
    assert referral[2026] < referral[2024] * 0.8
