package lesson

import (
	"fmt"
	"slices"
	"time"

	"inferplay/sim"
)

// BatchingBatchers are the batchers the batching scene compares, in the
// order it plays them.
var BatchingBatchers = []string{"static", "continuous"}

// BatchingSlots is how many requests one iteration's batch holds in the
// scene (-max-running): few enough to draw each slot as a row.
const BatchingSlots = 4

// batchingOutputs are the answers' lengths of the scene's twelve requests,
// which arrive together with prompts of the same length: answers that
// differ are what makes a static batch wait for its longest member.
var batchingOutputs = []int{10, 80, 20, 40, 15, 60, 8, 30, 50, 12, 70, 22}

const batchingPrompt = 128

// BatchingConfig is the scene's run under a batcher (one of
// BatchingBatchers): Llama 3 8B at FP16 on one H100, on the roofline model.
func BatchingConfig(batcher string, seed uint64) (sim.Config, error) {
	if !slices.Contains(BatchingBatchers, batcher) {
		return sim.Config{}, fmt.Errorf("batcher: %q is not one the scene compares (%v)", batcher, BatchingBatchers)
	}
	c, err := base("llama3-8b", "h100", "fp16")
	if err != nil {
		return c, err
	}
	c.Scenario = "batching"
	c.Timing, c.Batcher, c.MaxRunning, c.Seed = "roofline", batcher, BatchingSlots, seed
	c.Trace = make([]sim.Spec, len(batchingOutputs))
	for i, out := range batchingOutputs {
		c.Trace[i] = sim.Spec{Input: batchingPrompt, Output: out, Class: sim.Interactive}
	}
	c.TraceName = fmt.Sprintf("%d requests at once, answers of %d to %d tokens", len(batchingOutputs), slices.Min(batchingOutputs), slices.Max(batchingOutputs))
	return c, c.Validate()
}

// SlotUse is what a batch slot did in an iteration.
type SlotUse uint8

const (
	SlotIdle SlotUse = iota
	SlotPrefill
	SlotDecode
)

// SlotCell is one slot in one iteration: the request in it (-1 idle).
type SlotCell struct {
	Req int
	Use SlotUse
}

// BatchingIter is one iteration of the scene's run.
type BatchingIter struct {
	Start, End time.Duration
	Slots      [BatchingSlots]SlotCell
	Waiting    int // requests not yet started when it began
	Unfinished int // requests not yet finished when it began
}

// BatchingRun is the scene's whole run under one batcher.
type BatchingRun struct {
	Batcher string
	Iters   []BatchingIter
	End     time.Duration // when the last request finished
	// Throughput is output tokens per second of the run; MeanTTFT and
	// MeanE2E are over its requests.
	Throughput        float64
	MeanTTFT, MeanE2E time.Duration
	// IdleShare is the share of slot-iterations with no request in them.
	IdleShare float64
}

// RunBatching runs the scene's workload under a batcher, slot by slot: a
// request takes the lowest free slot when it first runs and frees it when
// it finishes.
func RunBatching(batcher string, seed uint64) (*BatchingRun, error) {
	c, err := BatchingConfig(batcher, seed)
	if err != nil {
		return nil, err
	}
	e, err := sim.New(c, sim.WithoutBlockMap())
	if err != nil {
		return nil, err
	}
	run := &BatchingRun{Batcher: batcher}
	slotOf := map[int]int{}
	var free [BatchingSlots]bool
	for i := range free {
		free[i] = true
	}
	idle := 0
	for steps := 0; !e.Done(); steps++ {
		if steps > 100_000 || e.Stuck() != "" {
			return nil, fmt.Errorf("batching scene: the %s run did not finish: %s", batcher, e.Stuck())
		}
		unfinished := e.Len() + e.Unsent() - e.Finished()
		waiting := unfinished - e.Decoding().Len() - e.Prefilling().Len()
		events := e.Step()
		it := BatchingIter{Waiting: waiting, Unfinished: unfinished}
		for s := range it.Slots {
			it.Slots[s] = SlotCell{Req: -1}
		}
		var done []int
		for _, ev := range events {
			switch ev.Kind {
			case sim.EvPrefillChunk, sim.EvToken:
				s, ok := slotOf[ev.Req]
				if !ok {
					s = slices.Index(free[:], true)
					if s < 0 {
						return nil, fmt.Errorf("batching scene: more than %d requests ran at once", BatchingSlots)
					}
					free[s], slotOf[ev.Req] = false, s
				}
				use := SlotDecode
				if ev.Kind == sim.EvPrefillChunk {
					use = SlotPrefill
				}
				if it.Slots[s].Use != SlotPrefill { // a prompt's last chunk and its first token: a prefill
					it.Slots[s] = SlotCell{Req: ev.Req, Use: use}
				}
			case sim.EvCompleted:
				done = append(done, ev.Req)
			}
		}
		last := e.LastIteration()
		it.Start, it.End = last.Start, last.Start+last.Duration
		for _, id := range done {
			if s, ok := slotOf[id]; ok {
				free[s] = true
				delete(slotOf, id)
			}
		}
		for _, c := range it.Slots {
			if c.Req < 0 {
				idle++
			}
		}
		run.Iters = append(run.Iters, it)
	}
	res := e.Result().Summary
	run.End, run.Throughput = e.Now(), res.Throughput
	run.MeanTTFT = time.Duration(res.TTFT.Mean * float64(time.Millisecond))
	run.MeanE2E = time.Duration(res.E2E.Mean * float64(time.Millisecond))
	if n := len(run.Iters) * BatchingSlots; n > 0 {
		run.IdleShare = float64(idle) / float64(n)
	}
	return run, nil
}

// BatchingRequests is how many requests the scene serves.
func BatchingRequests() int { return len(batchingOutputs) }

// BatchingPrompt is every request's prompt length in the scene.
func BatchingPrompt() int { return batchingPrompt }

// BatchingShortest and BatchingLongest are the scene's shortest and
// longest answers.
func BatchingShortest() int { return slices.Min(batchingOutputs) }
func BatchingLongest() int  { return slices.Max(batchingOutputs) }
