package sim

import "testing"

// A prompt under way holds its promise of room only against prompts ranked
// below it: under MLFQ a chat that arrives while a long prompt sits one
// level down starts at once, even though VRAM cannot hold both whole, and
// gets its first token before the long prompt does. Ranked the other way
// (FCFS), the chat waits for the long prompt to finish.
func TestPromiseOfRoomFollowsThePolicysOrder(t *testing.T) {
	for _, tc := range []struct {
		policy    string
		chatFirst bool
	}{{"mlfq", true}, {"fcfs", false}} {
		// 12,000 tokens of KV: the 11,000-token prompt and the 3,000-token
		// chat do not fit whole together.
		c := tinyConfig(t, tc.policy, 12000, at(1, 11000, 20, Batch), at(3, 3000, 10, Interactive))
		h100, err := LookupGPU("h100")
		if err != nil {
			t.Fatal(err)
		}
		h100.VRAM = c.GPU.VRAM
		c.GPU = h100
		c.Timing = "roofline"
		e, _ := runChecked(t, c, 100_000)
		long, chat := e.Request(0), e.Request(1)
		if long.State != Done || chat.State != Done {
			t.Fatalf("%s: not finished: %v, %v", tc.policy, long.State, chat.State)
		}
		if got := chat.FirstTokenTick < long.FirstTokenTick; got != tc.chatFirst {
			t.Errorf("%s: chat's first token at tick %d, the long prompt's at %d; want chat first = %v",
				tc.policy, chat.FirstTokenTick, long.FirstTokenTick, tc.chatFirst)
		}
	}
}

// A chat that cannot fit because a prompt ranked below it holds VRAM with a
// partial cache gets in by dropping that cache: under MLFQ the long prompt,
// paused one level down behind a first chat, gives way to a second chat
// that VRAM cannot otherwise hold, and prefills again afterwards; no prompt
// gives way more than maxGiveWay times.
func TestPartialCachesGiveWayToPromptsRankedAbove(t *testing.T) {
	c := tinyConfig(t, "mlfq", 12000, at(1, 11000, 20, Batch), at(3, 5000, 10, Interactive), at(5, 6000, 10, Interactive))
	h100, err := LookupGPU("h100")
	if err != nil {
		t.Fatal(err)
	}
	h100.VRAM = c.GPU.VRAM
	c.GPU = h100
	c.Timing = "roofline"
	e, _ := runChecked(t, c, 100_000)
	long, chat := e.Request(0), e.Request(2)
	for id := range 3 {
		if e.Request(id).State != Done {
			t.Fatalf("R%d not finished: %v", id, e.Request(id).State)
		}
	}
	if chat.FirstTokenTick >= long.FirstTokenTick || long.Drops == 0 {
		t.Fatalf("second chat's first token at tick %d, the long prompt's at %d after %d drops; want the chat first, by a drop",
			chat.FirstTokenTick, long.FirstTokenTick, long.Drops)
	}
	if long.Drops > maxGiveWay {
		t.Fatalf("the long prompt gave way %d times, more than %d", long.Drops, maxGiveWay)
	}
}
