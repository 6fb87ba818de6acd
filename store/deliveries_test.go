package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pulsebot/pulsebot/store"
	"github.com/pulsebot/pulsebot/store/storetest"
)

var deliveryT0 = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func openWithClock(t *testing.T) (*store.Store, *storetest.Clock) {
	t.Helper()
	s := storetest.Open(t)
	clock := storetest.NewClock(deliveryT0)
	s.Now = clock.Now
	return s, clock
}

func TestEnqueueIsOncePerKey(t *testing.T) {
	ctx := context.Background()
	s, clock := openWithClock(t)
	d := store.Delivery{Key: "story:1:7", Kind: store.DeliverStory, GuildID: "g", ChannelID: "c", AlertID: 1, StoryID: 7}
	if n, err := s.Enqueue(ctx, d, d); err != nil || n != 1 {
		t.Fatalf("Enqueue(d, d) = %d, %v; want 1 added", n, err)
	}
	due, err := s.DueDeliveries(ctx, 10)
	if err != nil || len(due) != 1 {
		t.Fatalf("DueDeliveries = %v, %v; want the one", due, err)
	}
	if err := s.DeliverySent(ctx, due[0].ID, "m1"); err != nil {
		t.Fatal(err)
	}
	// Planned again after it was sent, and again later: still once.
	clock.Add(time.Hour)
	if n, err := s.Enqueue(ctx, d); err != nil || n != 0 {
		t.Errorf("Enqueue after sent = %d, %v; want 0 added", n, err)
	}
	all, _ := s.Deliveries(ctx, "")
	if len(all) != 1 || all[0].State != store.DeliverySent || all[0].MessageID != "m1" || !all[0].DoneAt.Equal(deliveryT0) {
		t.Errorf("deliveries = %+v; want one sent as m1 at %v", all, deliveryT0)
	}
	if _, err := s.Enqueue(ctx, store.Delivery{Key: "x", Kind: store.DeliverStory}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Enqueue without a target: %v, want ErrInvalid", err)
	}
}

func TestLeaseRetryAndFail(t *testing.T) {
	ctx := context.Background()
	s, clock := openWithClock(t)
	if _, err := s.Enqueue(ctx,
		store.Delivery{Key: "a", Kind: store.DeliverStory, ChannelID: "c"},
		store.Delivery{Key: "b", Kind: store.DeliverFollow, UserID: "u"}); err != nil {
		t.Fatal(err)
	}
	due, _ := s.DueDeliveries(ctx, 10)
	if len(due) != 2 || due[0].Key != "a" || due[1].Key != "b" {
		t.Fatalf("due = %+v, want a then b", due)
	}
	a, ok, err := s.LeaseDelivery(ctx, due[0].ID, 2*time.Minute)
	if err != nil || !ok || a.Attempts != 1 || !a.NextAt.Equal(deliveryT0.Add(2*time.Minute)) {
		t.Fatalf("lease = %+v, %v, %v; want attempt 1 leased for 2m", a, ok, err)
	}
	// Leased: not due, and a second sender cannot take it.
	if _, ok, _ := s.LeaseDelivery(ctx, a.ID, time.Minute); ok {
		t.Error("a leased delivery was leased again")
	}
	if due, _ := s.DueDeliveries(ctx, 10); len(due) != 1 || due[0].Key != "b" {
		t.Errorf("due while a is leased = %+v, want only b", due)
	}
	// The sender died: when the lease ends the row is due again.
	clock.Add(2 * time.Minute)
	if due, _ := s.DueDeliveries(ctx, 10); len(due) != 2 {
		t.Errorf("due after the lease = %d, want 2", len(due))
	}
	a, _, _ = s.LeaseDelivery(ctx, a.ID, time.Minute)
	if err := s.RetryDelivery(ctx, a.ID, clock.Now().Add(30*time.Second), "500: Internal Server Error"); err != nil {
		t.Fatal(err)
	}
	next, ok, err := s.NextDeliveryAt(ctx)
	if err != nil || !ok || !next.Equal(deliveryT0) { // b, due since it was planned
		t.Errorf("NextDeliveryAt = %v, %v, %v; want %v", next, ok, err, deliveryT0)
	}
	b, _, _ := s.LeaseDelivery(ctx, due[1].ID, time.Minute)
	if err := s.DeliveryFailed(ctx, b.ID, "50007: Cannot send messages to this user"); err != nil {
		t.Fatal(err)
	}
	next, _, _ = s.NextDeliveryAt(ctx)
	if !next.Equal(clock.Now().Add(30 * time.Second)) {
		t.Errorf("NextDeliveryAt = %v, want a's retry", next)
	}
	if err := s.RetryDelivery(ctx, b.ID, clock.Now(), "x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("retry of a failed delivery: %v, want ErrNotFound", err)
	}
	clock.Add(30 * time.Second)
	a, ok, _ = s.LeaseDelivery(ctx, a.ID, time.Minute)
	if !ok || a.Attempts != 3 || a.LastError != "500: Internal Server Error" {
		t.Errorf("third lease = %+v, %v; want attempt 3 with the last error", a, ok)
	}
	if err := s.DeliverySent(ctx, a.ID, "m"); err != nil {
		t.Fatal(err)
	}
	c, err := s.DeliveryCounts(ctx, store.DeliveryScope{}, deliveryT0)
	if err != nil || c.Pending != 0 || c.Sent != 1 || c.Failed != 1 || c.LastFailure != "50007: Cannot send messages to this user" || !c.LastSent.Equal(clock.Now()) {
		t.Errorf("counts = %+v, %v", c, err)
	}
	if _, ok, err := s.NextDeliveryAt(ctx); ok || err != nil {
		t.Errorf("NextDeliveryAt with nothing pending: ok %v, %v", ok, err)
	}
}

func TestDeliveryCountsPerServer(t *testing.T) {
	ctx := context.Background()
	s, clock := openWithClock(t)
	s.Enqueue(ctx,
		store.Delivery{Key: "1", Kind: store.DeliverStory, GuildID: "g1", ChannelID: "c"},
		store.Delivery{Key: "2", Kind: store.DeliverStory, GuildID: "g2", ChannelID: "c"},
		store.Delivery{Key: "3", Kind: store.DeliverStory, GuildID: "g2", ChannelID: "c"},
		store.Delivery{Key: "4", Kind: store.DeliverFollow, UserID: "u"},
		store.Delivery{Key: "5", Kind: store.DeliverNotice, GuildID: "g1", UserID: "u"})
	clock.Add(10 * time.Minute)
	for _, tc := range []struct {
		scope   store.DeliveryScope
		pending int
	}{{store.DeliveryScope{GuildID: "g2"}, 2}, {store.DeliveryScope{GuildID: "g1"}, 2}, {store.DeliveryScope{UserID: "u"}, 1}, {store.DeliveryScope{}, 5}} {
		c, err := s.DeliveryCounts(ctx, tc.scope, clock.Now())
		if err != nil || c.Pending != tc.pending || c.OldestPendingFor != 10*time.Minute || c.Sent != 0 {
			t.Errorf("%+v counts = %+v, %v; want %d pending for 10m", tc.scope, c, err, tc.pending)
		}
	}
}

func TestRemovingASettingDropsItsPendingDeliveries(t *testing.T) {
	ctx := context.Background()
	s, _ := openWithClock(t)
	a, err := s.CreateAlert(ctx, store.Alert{GuildID: "g", ChannelID: "c", CreatedBy: "u", Kind: store.AlertStory, Keyword: "etf"})
	if err != nil {
		t.Fatal(err)
	}
	f, err := s.CreateFollow(ctx, store.Follow{UserID: "u", Coin: "BTC"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetDigest(ctx, store.Digest{GuildID: "g", ChannelID: "c", Time: "08:00", Timezone: "UTC", CreatedBy: "u"}); err != nil {
		t.Fatal(err)
	}
	s.Enqueue(ctx,
		store.Delivery{Key: "story:sent", Kind: store.DeliverStory, GuildID: "g", ChannelID: "c", AlertID: a.ID},
		store.Delivery{Key: "story:pending", Kind: store.DeliverStory, GuildID: "g", ChannelID: "c", AlertID: a.ID},
		store.Delivery{Key: "follow:pending", Kind: store.DeliverFollow, UserID: "u", FollowID: f.ID},
		store.Delivery{Key: "digest:pending", Kind: store.DeliverDigest, GuildID: "g", ChannelID: "c"},
		store.Delivery{Key: "other", Kind: store.DeliverStory, GuildID: "g2", ChannelID: "c", AlertID: a.ID + 1})
	all, _ := s.Deliveries(ctx, "story:sent")
	s.DeliverySent(ctx, all[0].ID, "m")

	if err := s.SetPulseAlertSide(ctx, a.ID, store.SideAbove); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemoveAlert(ctx, a.ID, "g"); err != nil {
		t.Fatal(err)
	}
	if _, seen, err := s.PulseAlertSide(ctx, a.ID); seen || err != nil {
		t.Errorf("the removed alert's side is still kept (%v, %v)", seen, err)
	}
	if _, err := s.RemoveFollow(ctx, f.ID, "u"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemoveDigest(ctx, "g"); err != nil {
		t.Fatal(err)
	}
	var keys []string
	all, _ = s.Deliveries(ctx, "")
	for _, d := range all {
		keys = append(keys, d.Key)
	}
	if len(keys) != 2 || keys[0] != "story:sent" || keys[1] != "other" {
		t.Errorf("deliveries left = %q, want the sent one (history) and the other alert's", keys)
	}
	if _, err := s.RemoveAlert(ctx, a.ID, "g"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("removing again: %v, want ErrNotFound", err)
	}
}

func TestPulseAlertSideAndEnabledSettings(t *testing.T) {
	ctx := context.Background()
	s, _ := openWithClock(t)
	if _, ok, err := s.PulseAlertSide(ctx, 1); ok || err != nil {
		t.Errorf("side before any look: ok %v, %v", ok, err)
	}
	for _, side := range []string{store.SideAbove, store.SideBetween} {
		if err := s.SetPulseAlertSide(ctx, 1, side); err != nil {
			t.Fatal(err)
		}
		if got, ok, _ := s.PulseAlertSide(ctx, 1); !ok || got != side {
			t.Errorf("side = %q, %v; want %q", got, ok, side)
		}
	}

	a1, _ := s.CreateAlert(ctx, store.Alert{GuildID: "g1", ChannelID: "c", CreatedBy: "u", Kind: store.AlertStory, Keyword: "etf"})
	a2, _ := s.CreateAlert(ctx, store.Alert{GuildID: "g2", ChannelID: "c", CreatedBy: "u", Kind: store.AlertPulse, Above: level(7)})
	f1, _ := s.CreateFollow(ctx, store.Follow{UserID: "u1", Keyword: "hack"})
	f2, _ := s.CreateFollow(ctx, store.Follow{UserID: "u2", Coin: "ETH"})
	s.SetDigest(ctx, store.Digest{GuildID: "g1", ChannelID: "c", Time: "08:00", Timezone: "UTC", CreatedBy: "u"})
	s.SetDigest(ctx, store.Digest{GuildID: "g2", ChannelID: "c", Time: "09:00", Timezone: "UTC", CreatedBy: "u"})
	if err := s.DisableAlert(ctx, a1.ID, "Missing Access"); err != nil {
		t.Fatal(err)
	}
	s.DisableFollow(ctx, f1.ID, "DMs closed")
	s.DisableDigest(ctx, "g2", "Unknown Channel")
	alerts, err := s.EnabledAlerts(ctx)
	if err != nil || len(alerts) != 1 || alerts[0].ID != a2.ID {
		t.Errorf("EnabledAlerts = %+v, %v; want only #%d", alerts, err, a2.ID)
	}
	follows, err := s.EnabledFollows(ctx)
	if err != nil || len(follows) != 1 || follows[0].ID != f2.ID {
		t.Errorf("EnabledFollows = %+v, %v; want only #%d", follows, err, f2.ID)
	}
	digests, err := s.EnabledDigests(ctx)
	if err != nil || len(digests) != 1 || digests[0].GuildID != "g1" {
		t.Errorf("EnabledDigests = %+v, %v; want only g1's", digests, err)
	}
}

func TestPruneDeliveriesKeepsPendingAndRecent(t *testing.T) {
	ctx := context.Background()
	s, clock := openWithClock(t)
	s.Enqueue(ctx,
		store.Delivery{Key: "old sent", Kind: store.DeliverStory, ChannelID: "c"},
		store.Delivery{Key: "old failed", Kind: store.DeliverStory, ChannelID: "c"},
		store.Delivery{Key: "old pending", Kind: store.DeliverStory, ChannelID: "c"},
		store.Delivery{Key: "recent sent", Kind: store.DeliverStory, ChannelID: "c"})
	finish := func(key string, sent bool) {
		ds, _ := s.Deliveries(ctx, key)
		if sent {
			s.DeliverySent(ctx, ds[0].ID, "m")
		} else {
			s.DeliveryFailed(ctx, ds[0].ID, "x")
		}
	}
	finish("old sent", true)
	finish("old failed", false)
	clock.Add(8 * 24 * time.Hour)
	finish("recent sent", true)
	n, err := s.PruneDeliveries(ctx, clock.Now().Add(-7*24*time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("PruneDeliveries = %d, %v; want 2", n, err)
	}
	var keys []string
	all, _ := s.Deliveries(ctx, "")
	for _, d := range all {
		keys = append(keys, d.Key)
	}
	if len(keys) != 2 || keys[0] != "old pending" || keys[1] != "recent sent" {
		t.Errorf("left %q, want the pending one and the recent one", keys)
	}
}

// TestDueDeliveriesRetriesFirst: a retry goes before posts never tried,
// even ones due earlier, so a post Discord may have accepted just before a
// crash is looked for before anything new lands on top of it.
func TestDueDeliveriesRetriesFirst(t *testing.T) {
	ctx := context.Background()
	s, clock := openWithClock(t)
	s.Enqueue(ctx, store.Delivery{Key: "tried", Kind: store.DeliverStory, ChannelID: "c"})
	clock.Add(time.Minute)
	s.Enqueue(ctx, store.Delivery{Key: "new 1", Kind: store.DeliverStory, ChannelID: "c"}, store.Delivery{Key: "new 2", Kind: store.DeliverStory, ChannelID: "c"})
	due, _ := s.DueDeliveries(ctx, 10)
	if _, ok, err := s.LeaseDelivery(ctx, due[0].ID, time.Minute); !ok || err != nil {
		t.Fatalf("lease: %v, %v", ok, err)
	}
	clock.Add(time.Hour) // the lease ran out: the process died mid-send
	due, err := s.DueDeliveries(ctx, 10)
	var keys []string
	for _, d := range due {
		keys = append(keys, d.Key)
	}
	if err != nil || strings.Join(keys, ",") != "tried,new 1,new 2" {
		t.Errorf("due = %q, %v; want the retry first, then the oldest", keys, err)
	}
}
