package scenes

import "inferplay/playback"

// Transport is what the playback keys (play, step, back, speed, restart)
// act on in the current scene.
type Transport interface {
	Paused() bool
	SetPaused(bool)
	Step()
	StepBack()
	Slower()
	Faster()
	Restart()
	// Label says where playback stands, for the screen: "playing ¼×".
	Label() string
}

// PlayerTransport drives a player; seeked runs after every jump back in
// time, so that views built from events start over.
func PlayerTransport(p *playback.Player, seeked func()) Transport {
	return &playerTransport{p: p, seeked: seeked}
}

type playerTransport struct {
	p      *playback.Player
	seeked func()
}

func (t *playerTransport) Paused() bool     { return t.p.Paused() }
func (t *playerTransport) SetPaused(b bool) { t.p.SetPaused(b) }
func (t *playerTransport) Step()            { t.p.Step() }
func (t *playerTransport) Slower()          { t.p.Slower() }
func (t *playerTransport) Faster()          { t.p.Faster() }

func (t *playerTransport) StepBack() {
	t.p.StepBack(1)
	t.seeked()
}

func (t *playerTransport) Restart() {
	t.p.Restart()
	t.p.SetPaused(false)
	t.seeked()
}

func (t *playerTransport) Label() string {
	switch {
	case t.p.Finished():
		return "finished"
	case t.p.Paused():
		return "paused"
	}
	return "playing " + t.p.SpeedLabel()
}
