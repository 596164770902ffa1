package scenes

// promptSpots are the places in the picture that the captions talk about,
// noted as they are drawn.
type promptSpots struct {
	// kv is the KV cache's line and grid; prefill the prefill bar up to
	// the TTFT marker and its label; decodes the decode passes.
	kv, ttft, prefill, decodes Rect
}

// atMoment reports whether the scene stands, untouched, at the moment its
// beat describes: the start for the first beat, else where the beat's play
// stopped.
func (p *Prompt) atMoment() bool {
	b := promptBeats[p.beat]
	if p.err != "" || p.Changed() || !p.clock.paused {
		return false
	}
	if b.until == nil {
		return p.clock.at == b.from(&p.run)
	}
	return p.clock.at == b.until(&p.run)
}

// callouts are what the beat's caption points at, while the scene stands
// at the beat's moment; playing on lifts them.
func (p *Prompt) callouts() []Callout {
	p.spot = p.spot[:0]
	if !p.atMoment() {
		return nil
	}
	l := p.layout
	// Labels only where the picture does not already say it: a tag covers
	// what is above the thing it marks.
	switch p.beat {
	case 0: // these tokens, about to go to the GPU's KV cache
		p.spot = append(p.spot, Callout{Box: l.prompt}, Callout{Box: p.spots.kv})
	case 1: // the KV cache in blocks, the first token, TTFT
		p.spot = append(p.spot, Callout{Box: p.spots.kv}, Callout{Box: p.spots.ttft})
		if len(p.answerChips.chips) > 0 {
			p.spot = append(p.spot, Callout{Box: p.answerChips.chips[0], Label: "the first token"})
		}
	case 2: // the answer, a pass per token
		p.spot = append(p.spot, Callout{Box: l.answer}, Callout{Box: p.spots.decodes})
	case 3: // the chunks, and TTFT after them
		p.spot = append(p.spot, Callout{Box: p.spots.prefill})
	case 4: // slower prefill, slower tokens
		p.spot = append(p.spot, Callout{Box: p.spots.prefill}, Callout{Box: p.spots.decodes})
	}
	return p.spot
}
