package scenes

import (
	"fmt"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/duel"
	"inferplay/lesson"
	"inferplay/playback"
	"inferplay/render"
	"inferplay/sim"
)

// Sharing is the tour's scene on prefix caching: a duel of caching off
// (left) and on (right) on one traffic, first fifty chats behind one long
// system prompt, then conversations that come back; last, conversations
// that outgrow VRAM, served without and with a CPU tier for the cache.
type Sharing struct {
	about
	kit      *render.Kit
	seed     uint64
	beat     int
	err      string
	player   *playback.DuelPlayer
	view     *DuelView
	controls PlayerControls
	chrome   Chrome
	// openAt is the duel position the beat opened at (-1: none); peak the
	// moment the run without caching holds the most KV, turn the first
	// later turn of a conversation that finds its earlier turns cached.
	openAt    int
	peak      time.Duration
	peakHeld  int
	turn      lesson.SecondTurn
	hasTurn   bool
	fetch     lesson.Fetch // the tier beat's copy back from CPU memory
	hasFetch  bool
	spot      []Callout
	spotlight Spotlight
	captions  []string // the beats' words, made once (Draw asks every frame)
}

// The beats: the copies at their peak, the same moment's figures, the
// whole runs, a conversation's second turn, and a turn whose cached
// conversation comes back from CPU memory.
const (
	sharingCopies = iota
	sharingFigures
	sharingWhole
	sharingTurn
	sharingTier
)

// NewSharing builds the scene at its first beat.
func NewSharing(kit *render.Kit, seed uint64) *Sharing {
	s := &Sharing{kit: kit, seed: seed, openAt: -1, about: about{name: "sharing", title: "Sharing a prefix: compute the system prompt once",
		intro: fmt.Sprintf("Requests of one app start with the same system prompt, and a conversation's turns resend the turns before them. Caching prefixes computes that KV once and shares its blocks. The same %d chats after a %s-token prompt, caching off (left) and on (right).",
			lesson.SharingUsers, thousands(lesson.SharingPromptTokens))}}
	c, err := lesson.SharingConfig(seed)
	if err != nil {
		s.err = err.Error()
		return s
	}
	s.peak, s.peakHeld = lesson.PeakCopies(c)
	if conv, err := lesson.ConversationConfig(seed); err == nil {
		s.turn, s.hasTurn = lesson.FindSecondTurn(conv)
	}
	if tier, err := lesson.TierConfig(seed); err == nil {
		s.fetch, s.hasFetch = lesson.FindFetch(tier)
	}
	s.SetBeat(0)
	return s
}

// load starts the duel of a beat's traffic.
func (s *Sharing) load(beat int) {
	c, err := lesson.SharingConfig(s.seed)
	sideList, names := lesson.SharingSides, [2]string{"caching off", "caching on"}
	switch beat {
	case sharingTurn:
		c, err = lesson.ConversationConfig(s.seed)
	case sharingTier:
		c, err = lesson.TierConfig(s.seed)
		sideList, names = lesson.TierSides, [2]string{"VRAM only", fmt.Sprintf("with a %d GB CPU tier", lesson.TierGB)}
	}
	var sides [2]duel.Side
	if err == nil {
		sides, err = duel.ParseSides(c, sideList)
	}
	if err == nil {
		s.player, err = playback.NewDuel(c, sides)
	}
	if err != nil {
		s.err = err.Error()
		return
	}
	s.view = NewDuelView(s.kit)
	s.view.Name(names)
	if beat != sharingTier {
		s.view.VRAMOnly() // the story is what VRAM holds
	} else {
		s.view.MemoryFirst() // the story is KV moving; the caption has the figures
	}
	s.controls = PlayerControls{Player: s.player, Seeked: s.view.Reset}
}

func (s *Sharing) Beats() []string {
	if s.captions == nil || s.err != "" {
		s.captions = s.words()
	}
	return s.captions
}

// words are the beats' captions, from the runs' moments.
func (s *Sharing) words() []string {
	if s.err != "" {
		return []string{s.err, s.err, s.err, s.err, s.err}
	}
	turn := "A conversation comes back: each turn resends the turns before it. Play to see a later turn find them cached."
	if s.hasTurn {
		turn = fmt.Sprintf("Conversations: each turn resends the turns before it. R%d is a later turn: with caching it finds the system prompt and its conversation so far cached, %s tokens, and prefills only its new message; without, it prefills all of it again.",
			s.turn.Req, thousands(s.turn.Tokens))
	}
	tier := "Conversations outgrow VRAM: idle cached blocks must give way. Play to see a CPU tier keep them for the next turn."
	if s.hasFetch {
		f := s.fetch
		tier = fmt.Sprintf("Conversations outgrow VRAM, and idle cached blocks give way. With a CPU tier (right) their copies wait in CPU memory: R%d's next turn copies %s cached tokens back over PCIe in %s, where prefilling them would take %s. Without it (left), it prefills them again.",
			f.Req, thousands(f.Tokens), render.Ms(ms(f.Copy)), render.Ms(ms(f.Refill)))
	}
	return []string{
		fmt.Sprintf("At %s, without caching every chat holds its own copy of the %s-token prompt: %s of KV fill VRAM. With caching one copy (sand) is shared, and every chat holds only its own words.",
			fmtDur(s.peak), thousands(lesson.SharingPromptTokens), sim.FormatBytes(int64(s.peakHeld)*s.blockBytes())),
		"The same moment in figures: with caching a chat prefills only its own words, so its first token comes far sooner, and most of VRAM stays free.",
		"The whole runs, side by side: the same traffic served with the prompt computed fifty times, or once.",
		turn,
		tier,
	}
}

// blockBytes is a KV block's size in the scene's runs.
func (s *Sharing) blockBytes() int64 {
	if s.player == nil {
		return 0
	}
	c := s.player.Config(0)
	return c.BlockBytes()
}

func (s *Sharing) Beat() int { return s.beat }

// SetBeat enters a beat from scratch: its traffic from the start, played
// to its moment and paused there.
func (s *Sharing) SetBeat(i int) {
	s.beat = max(0, min(i, sharingTier))
	s.load(s.beat)
	if s.err != "" {
		return
	}
	p := s.player
	s.openAt = -1
	switch s.beat {
	case sharingCopies, sharingFigures:
		s.playUntil(func() bool { return p.Engine(0).Now() >= s.peak })
	case sharingWhole:
		s.playUntil(p.Finished)
	case sharingTurn:
		if s.hasTurn {
			s.playUntil(func() bool { return p.Engine(1).Now() >= s.turn.At })
		}
	case sharingTier:
		if s.hasFetch {
			s.playUntil(func() bool { return p.Engine(1).Now() >= s.fetch.At })
		}
	}
	if s.openAt < 0 {
		p.SetPaused(false)
	}
}

// playUntil steps the duel until done holds, and pauses there: the beat's
// moment.
func (s *Sharing) playUntil(done func() bool) {
	p := s.player
	for !p.Finished() && !done() {
		s.view.Update(p, p.Step(), s.chrome.Body, 0)
	}
	s.view.Settle()
	s.openAt = p.Position()
	p.SetPaused(true)
}

func (s *Sharing) Transport() Transport {
	if s.err != "" {
		return nil
	}
	return &s.controls
}

func (s *Sharing) Status() string {
	if s.beat == sharingTier {
		return fmt.Sprintf("seed %d · prefix caching on, CPU tier off and on · timing roofline", s.seed)
	}
	return fmt.Sprintf("seed %d · prefix caching off and on · timing roofline", s.seed)
}

func (s *Sharing) Layout(area Rect) {
	s.chrome = layoutChrome(s.kit, s, area)
	if s.view != nil {
		s.view.Place(s.chrome.Body)
	}
}

func (s *Sharing) Update(dt time.Duration) {
	if s.err != "" {
		return
	}
	s.view.Update(s.player, s.player.Frame(), s.chrome.Body, dt)
}

func (s *Sharing) Draw(dst *ebiten.Image) {
	drawChrome(dst, s.kit, s, s.chrome)
	if s.err != "" {
		return
	}
	s.view.Draw(dst, s.player)
	s.spotlight.Draw(dst, s.kit, s.chrome.Body, s.callouts())
	s.view.DrawTip(dst)
}

// callouts point at what the beat's caption names, while the duel stands
// at the beat's moment.
func (s *Sharing) callouts() []Callout {
	s.spot = s.spot[:0]
	if s.openAt < 0 || s.player.Position() != s.openAt {
		return nil
	}
	left, right := s.view.Halves[0], s.view.Halves[1]
	lv, _, _, _ := left.Panels()
	rv, _, _, _ := right.Panels()
	switch s.beat {
	case sharingCopies:
		s.spot = append(s.spot, Callout{Box: lv, Label: "a copy per chat"}, Callout{Box: rv, Label: "one shared copy"})
	case sharingFigures, sharingWhole:
		s.spot = append(s.spot, Callout{Box: s.view.CompareBox()})
	case sharingTurn:
		if !s.hasTurn {
			return nil
		}
		if b, ok := right.SpriteBox(s.turn.Req); ok {
			s.spot = append(s.spot, Callout{Box: b, Label: fmt.Sprintf("R%d: %s tokens cached", s.turn.Req, thousands(s.turn.Tokens))})
		}
		if b, ok := left.SpriteBox(s.turn.Req); ok {
			s.spot = append(s.spot, Callout{Box: b, Label: fmt.Sprintf("R%d prefills it all", s.turn.Req)})
		}
	case sharingTier:
		if !s.hasFetch {
			return nil
		}
		f := s.fetch
		if b, ok := right.PacketBox(f.Req); ok {
			s.spot = append(s.spot, Callout{Box: b, Label: fmt.Sprintf("R%d: %s tokens back in %s", f.Req, thousands(f.Tokens), render.Ms(ms(f.Copy)))})
		}
		if _, _, cpu, _ := right.Panels(); cpu.W > 0 {
			s.spot = append(s.spot, Callout{Box: cpu, Label: "kept in CPU memory"})
		}
		if b, ok := left.SpriteBox(f.Req); ok {
			s.spot = append(s.spot, Callout{Box: b, Label: fmt.Sprintf("R%d prefills them again", f.Req)})
		}
	}
	return s.spot
}

// Hover follows the pointer over either half (the request under it lit on
// both), Click selects on both, and DrawTip draws the tooltip.
func (s *Sharing) Hover(x, y float64) {
	if s.view != nil {
		s.view.Hover(s.player, x, y)
	}
}

func (s *Sharing) Click(x, y float64) {
	if s.view != nil {
		s.view.Click(s.player, x, y)
	}
}

func (s *Sharing) DrawTip(dst *ebiten.Image) {
	if s.view != nil {
		s.view.DrawTip(dst)
	}
}

// Settle places every sprite at once (after a change of layout, or
// before a screenshot).
func (s *Sharing) Settle() {
	if s.view != nil {
		s.view.Settle()
	}
}

// Callouts are what the beat points at, for tests.
func (s *Sharing) Callouts() []Callout { return s.spot }

// View is the duel on screen, for tests.
func (s *Sharing) View() (*DuelView, *playback.DuelPlayer) { return s.view, s.player }

// ms is a duration in milliseconds, as render.Ms takes it.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
