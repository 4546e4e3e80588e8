#!/usr/bin/python3
"""Pub/sub from redis-py: a subscriber thread iterates pubsub.listen() with a
channel and two pattern subscriptions while the main thread publishes;
checks PUBLISH's receiver counts, the message/pmessage fields, ordering,
unsubscribe confirmations, PUBSUB introspection, and get_message() polling
on a second subscriber."""
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kvclient import check, client, expect, fail  # noqa: E402


def wait_for(pred, what, timeout=5.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return
        time.sleep(0.01)
    fail("timed out waiting for " + what)


def main():
    r = client()
    sub = client().pubsub()
    sub.subscribe("news")
    sub.psubscribe("ev.*", "ev.a*")
    got = []
    done = threading.Event()

    def listener():
        for m in sub.listen():
            got.append(m)
            if m["type"] == "message" and m["data"] == b"stop":
                break
        done.set()

    t = threading.Thread(target=listener, daemon=True)
    t.start()
    # Subscriptions are confirmed before anything is published.
    wait_for(lambda: len(got) >= 3, "3 subscribe confirmations")
    expect([(m["type"], m["channel"], m["data"]) for m in got[:3]],
           [("subscribe", b"news", 1), ("psubscribe", b"ev.*", 2), ("psubscribe", b"ev.a*", 3)],
           "confirmations")

    expect(r.publish("news", "hello"), 1, "PUBLISH news (one channel subscriber)")
    expect(r.publish("ev.a1", "both"), 2, "PUBLISH ev.a1 (matches two patterns)")
    expect(r.publish("ev.b", "one"), 1, "PUBLISH ev.b (matches one pattern)")
    expect(r.publish("nobody", "x"), 0, "PUBLISH to nobody")
    expect(r.publish("news", b"bin\x00\xff"), 1, "binary payload")
    expect(sorted(r.pubsub_channels()), [b"news"], "PUBSUB CHANNELS")
    expect(r.pubsub_numsub("news", "ev.a1"), [(b"news", 1), (b"ev.a1", 0)], "PUBSUB NUMSUB")
    expect(r.pubsub_numpat(), 2, "PUBSUB NUMPAT")
    r.publish("news", "stop")
    if not done.wait(10):
        fail("listener did not see the stop message; got %r" % got)

    msgs = [(m["type"], m["pattern"], m["channel"], m["data"]) for m in got[3:]]
    # One message matching two patterns arrives once per pattern, in an
    # order Redis does not define: compare those two as a set.
    msgs[1:3] = sorted(msgs[1:3])
    want = [
        ("message", None, b"news", b"hello"),
        ("pmessage", b"ev.*", b"ev.a1", b"both"),
        ("pmessage", b"ev.a*", b"ev.a1", b"both"),
        ("pmessage", b"ev.*", b"ev.b", b"one"),
        ("message", None, b"news", b"bin\x00\xff"),
        ("message", None, b"news", b"stop"),
    ]
    expect(msgs, want, "messages in order")

    # Unsubscribing: confirmations with the remaining count.
    sub.unsubscribe("news")
    sub.punsubscribe()
    conf = []
    end = time.monotonic() + 5
    while len(conf) < 3 and time.monotonic() < end:
        m = sub.get_message(timeout=0.5)
        if m:
            conf.append((m["type"], m["channel"], m["data"]))
    expect(sorted(conf[1:]), sorted([("punsubscribe", b"ev.*", 1), ("punsubscribe", b"ev.a*", 0)]),
           "punsubscribe confirmations")
    expect(conf[0], ("unsubscribe", b"news", 2), "unsubscribe confirmation")
    sub.close()
    wait_for(lambda: r.pubsub_numpat() == 0, "NUMPAT back to 0")

    # Polling style with ignore_subscribe_messages.
    p2 = client().pubsub(ignore_subscribe_messages=True)
    p2.psubscribe("__k*")
    p2.subscribe("c1", "c2")
    wait_for(lambda: r.pubsub_numsub("c2")[0][1] == 1, "c2 subscription")
    for i in range(100):
        r.publish("c1" if i % 2 else "c2", str(i))
    seen = []
    end = time.monotonic() + 5
    while len(seen) < 100 and time.monotonic() < end:
        m = p2.get_message(timeout=0.5)
        if m:
            seen.append(int(m["data"]))
    expect(seen, list(range(100)), "100 messages on two channels, in publish order")
    p2.close()
    print("ok pubsub")


if __name__ == "__main__":
    main()
