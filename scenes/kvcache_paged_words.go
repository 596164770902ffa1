package scenes

import (
	"fmt"

	"inferplay/lesson"
	"inferplay/sim"
)

// kvPagedWords is every word of the paged beat, from the one paging.
type kvPagedWords struct {
	formula  [3]string
	verdicts []kvVerdict
	// Each scheme's panel: a title, a key with its bytes, and who fits.
	reservedTitle, pagedTitle   string
	reservedKey, pagedKey       []swatch
	reservedStatus, pagedStatus string
	// pagedVerdict labels the paged picture when it is pointed at.
	pagedVerdict string
	// The shown user's block table: a title, what it says, and one row
	// per logical block.
	tableTitle, tableNote string
	rows                  []kvTableRow
}

// A kvTableRow is one entry of a block table.
type kvTableRow struct {
	logical, physical string
	fill              int // tokens the block holds
}

// fitOf says how many of u users fit: "all 8 users fit", "119 of 256 users
// fit, 137 wait". Both schemes' words use it, so they read alike.
func fitOf(fit, u int) string {
	switch {
	case fit >= u && u == 1:
		return "the 1 user fits"
	case fit >= u:
		return fmt.Sprintf("all %d users fit", u)
	}
	return fmt.Sprintf("%d of %d users fit, %d wait", fit, u, u-fit)
}

// pagedRoom says how many users like these the paged blocks hold, when
// the setup's users leave room: "room for 305".
func pagedRoom(p lesson.Paging, u int) string {
	if p.PagedFit > u {
		return fmt.Sprintf(", room for %d", p.PagedFit)
	}
	return ""
}

// emptyShare is the share of the resident users' reservations that holds
// nothing.
func emptyShare(p lesson.Paging) string {
	return fmtPercent(p.ReservedIdleBytes, p.ReservedUsedBytes+p.ReservedIdleBytes)
}

// pagedCaption is the paged beat's caption: one sentence per scheme.
func (s *KVCache) pagedCaption() string {
	p, u := s.paging, s.setup.Users
	if p.Lengths == nil {
		return ""
	}
	b := p.Budget
	first := fmt.Sprintf("Chats seldom reach the %s-token limit, yet reserving it whole for each user leaves %s of that room empty: %s.",
		thousands(s.setup.Tokens), emptyShare(p), fitOf(p.ReservedResident, u))
	if p.ReservedResident == 0 {
		first = fmt.Sprintf("Reserving the %s-token limit whole for each user, not one reservation fits: %s.",
			thousands(s.setup.Tokens), fitOf(0, u))
	}
	return first + fmt.Sprintf(" Paged in %d-token blocks of %s, taken as a chat grows and found through its block table, %s%s.",
		b.BlockTokens, sim.FormatBytes(b.BlockBytes), fitOf(p.PagedResident, u), pagedRoom(p, u))
}

// pagedWords is the paged beat's words at its current setup.
func (s *KVCache) pagedWords() kvPagedWords {
	p, u, t := s.paging, s.setup.Users, s.kit.Theme
	b := p.Budget
	gb := sim.FormatBytes
	var w kvPagedWords
	w.formula = [3]string{
		fmt.Sprintf("%s, chats of %s tokens on average, up to a %s-token limit", plural(u, "user"), thousands(p.MeanTokens), thousands(s.setup.Tokens)),
		fmt.Sprintf("reserved: %s blocks of %s = %s a user; %s for KV holds %d of them",
			thousands(b.UserBlocks), gb(b.BlockBytes), gb(int64(b.UserBlocks)*b.BlockBytes), gb(b.VRAMBytes-b.WeightBytes), p.ReservedFit),
		fmt.Sprintf("paged: %s blocks of %d tokens hold %d chats like these, each in the blocks it fills",
			thousands(b.CapacityBlocks), b.BlockTokens, p.PagedFit),
	}
	w.verdicts = []kvVerdict{
		{fmt.Sprintf("%d", p.ReservedFit), "fit reserved", p.ReservedFit < u},
		{fmt.Sprintf("%d", p.PagedFit), "fit paged", p.PagedFit < u},
	}
	free := b.VRAMBytes - b.WeightBytes
	w.reservedTitle = fmt.Sprintf("Reserved: room for %s tokens a user, in one piece", thousands(s.setup.Tokens))
	w.reservedKey = []swatch{
		{c: t.Weights, label: "weights " + gb(b.WeightBytes)},
		{c: t.Decode, label: "KV in use " + gb(p.ReservedUsedBytes)},
		{kind: swatchHatch, label: fmt.Sprintf("reserved, empty %s (%s)", gb(p.ReservedIdleBytes), emptyShare(p))},
		{c: t.Free, label: "free " + gb(free-p.ReservedUsedBytes-p.ReservedIdleBytes)},
	}
	w.reservedStatus = fitOf(p.ReservedResident, u)
	w.pagedTitle = fmt.Sprintf("Paged: %d-token blocks of %s, taken as a chat grows", b.BlockTokens, gb(b.BlockBytes))
	w.pagedKey = []swatch{
		{c: t.Weights, label: "weights " + gb(b.WeightBytes)},
		{c: t.Decode, label: "KV in use " + gb(p.PagedUsedBytes)},
		{kind: swatchHatch, label: "last blocks' empty ends " + gb(p.PagedIdleBytes)},
		{c: t.Free, label: "free " + gb(free-p.PagedUsedBytes-p.PagedIdleBytes)},
	}
	if p.Shown >= 0 {
		w.pagedKey = append(w.pagedKey, swatch{c: t.Decode, kind: swatchOutline, label: fmt.Sprintf("holds user %d's blocks", p.Shown+1)})
	}
	w.pagedStatus = fitOf(p.PagedResident, u) + pagedRoom(p, u)
	w.pagedVerdict = fitOf(p.PagedResident, u)
	if p.PagedFit > u {
		w.pagedVerdict = fmt.Sprintf("room for %d", p.PagedFit)
	}

	if p.Shown < 0 {
		w.tableTitle, w.tableNote = "Block table", "No user's blocks fit in VRAM."
		return w
	}
	n := p.Lengths[p.Shown]
	table := p.Table
	last := lesson.LastBlockFill(n, b.BlockTokens)
	w.tableTitle = fmt.Sprintf("User %d's block table", p.Shown+1)
	w.tableNote = fmt.Sprintf("%s tokens in %s of %d tokens, the last holding %d. Other users' blocks lie between, taken while this chat grew.",
		thousands(n), plural(len(table), "block"), b.BlockTokens, last)
	for j, phys := range table {
		fill := b.BlockTokens
		if j == len(table)-1 {
			fill = last
		}
		w.rows = append(w.rows, kvTableRow{logical: thousands(j), physical: "block " + thousands(phys), fill: fill})
	}
	return w
}
