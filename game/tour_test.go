package game

import (
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"inferplay/lesson"
	"inferplay/render"
	"inferplay/sim"
)

func tourGame(t testing.TB, scene string, beat int) *Game {
	t.Helper()
	c, err := sim.ScenarioConfig(sim.DefaultScenario)
	if err != nil {
		t.Fatal(err)
	}
	g, err := New(Options{Config: c, Scene: scene, Beat: beat, Width: 1920, Height: 1080})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

type place struct {
	scene string
	beat  int
}

func where(g *Game) place { return place{g.Scene().Name(), g.Scene().Beat()} }

// PgDn walks every beat of every scene in order, and PgUp walks back the
// same way; past the ends nothing moves.
func TestBeatsForwardAndBack(t *testing.T) {
	g := tourGame(t, "prompt", 0)
	var path []place
	for {
		path = append(path, where(g))
		g.Do(NextBeat)
		if where(g) == path[len(path)-1] {
			break
		}
		if len(path) > 100 {
			t.Fatal("the tour never ends")
		}
	}
	if len(path) < 4*3 {
		t.Fatalf("only %d beats in the tour: %v", len(path), path)
	}
	var scenesSeen []string
	for i, p := range path {
		if i == 0 || p.scene != path[i-1].scene {
			scenesSeen = append(scenesSeen, p.scene)
			if p.beat != 0 {
				t.Errorf("entered %s at beat %d", p.scene, p.beat)
			}
		} else if p.beat != path[i-1].beat+1 {
			t.Errorf("%s: beat %d after %d", p.scene, p.beat, path[i-1].beat)
		}
	}
	if want := sceneNames; len(scenesSeen) != len(want) {
		t.Fatalf("scenes %v, want %v", scenesSeen, want)
	}
	for i := range sceneNames {
		if scenesSeen[i] != sceneNames[i] {
			t.Fatalf("scenes %v, want %v", scenesSeen, sceneNames)
		}
	}
	for i := len(path) - 1; i >= 0; i-- {
		if got := where(g); got != path[i] {
			t.Fatalf("going back: at %v, want %v", got, path[i])
		}
		g.Do(PrevBeat)
	}
	if got := where(g); got != path[0] {
		t.Fatalf("PgUp at the start moved to %v", got)
	}
}

// Number keys jump to a scene's first beat, and a click on the contents
// strip does too.
func TestSceneJumps(t *testing.T) {
	g := tourGame(t, "prompt", 2)
	for i, a := range []Action{Scene1 + 2, Scene1, Scene1 + 3, Scene1 + 1} {
		g.Do(a)
		want := sceneNames[[]int{2, 0, 3, 1}[i]]
		if got := where(g); got != (place{want, 0}) {
			t.Errorf("after %v: %v, want %s beat 0", a, got, want)
		}
	}
	img := ebiten.NewImage(1920, 1080)
	g.Render(img) // lays the strip out
	tab := g.tabs[2]
	g.click(tab.X+tab.W/2, tab.Y+tab.H/2)
	if got := where(g); got != (place{"contention", 0}) {
		t.Errorf("a click on the third tab: %v", got)
	}
}

// Snap-back restores the beat's state after changes by hand, in every
// teaching scene.
func TestSnapBack(t *testing.T) {
	g := tourGame(t, "prompt", 3)
	want := g.prompt.Setup()
	g.prompt.SetSetup(lesson.PromptSetup{Prompt: 100, Output: 5, Model: "qwen2.5-7b", GPU: "l4"})
	if !g.prompt.Changed() {
		t.Error("prompt: a new setup is not flagged as changed")
	}
	g.Do(SnapBack)
	if got := g.prompt.Setup(); got != want || g.prompt.Changed() {
		t.Errorf("prompt: %+v after snap-back, want %+v", got, want)
	}

	g.Do(Scene1+1, NextBeat, NextBeat)
	wantKV := g.kvcache.Setup()
	g.kvcache.SetSetup(lesson.KVSetup{Users: 3, Tokens: 128, Model: "mistral-7b", GPU: "a100", Precision: "int4"})
	if !g.kvcache.Changed() {
		t.Error("kvcache: a new setup is not flagged as changed")
	}
	g.Do(SnapBack)
	if got := g.kvcache.Setup(); got != wantKV || g.kvcache.Changed() {
		t.Errorf("kvcache: %+v after snap-back, want %+v", got, wantKV)
	}

	g.Do(Scene1+2, NextBeat) // FCFS, playing
	for range 40 {
		g.Frame(time.Second / 60)
	}
	g.Do(NextPolicy)
	if g.contention.Policy() == "fcfs" {
		t.Fatal("S did not switch the policy")
	}
	g.Do(SnapBack)
	tr := g.contention.Transport()
	if g.contention.Policy() != "fcfs" || tr.Paused() || g.contention.Changed() {
		t.Errorf("contention: policy %s, paused %v after snap-back", g.contention.Policy(), tr.Paused())
	}
}

// The contention scene's comparison comes from the engine's runs: after
// FCFS and MLFQ have run to the end, the chats waited longer under FCFS.
func TestContentionSceneCompares(t *testing.T) {
	g := tourGame(t, "contention", 1) // FCFS, playing
	run := func() {
		for i := 0; i < 10000 && g.contention.Transport().Label() != "finished"; i++ {
			g.Frame(time.Second / 60)
		}
	}
	run()
	g.Do(NextBeat, NextBeat) // MLFQ
	run()
	res := g.contention.Results()
	fcfs, ok1 := res["fcfs"]
	mlfq, ok2 := res["mlfq"]
	if !ok1 || !ok2 || !(fcfs > 5*mlfq) {
		t.Fatalf("results %v: want fcfs well above mlfq", res)
	}
}

// Every scene draws through -scene NAME -screenshot at both sizes, in both
// modes; each picture has its scene's own colours.
func TestSceneScreenshots(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "inferplay")
	if out, err := exec.Command("go", "build", "-o", bin, "..").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dark, presenter := render.Dark(), render.Presenter()
	for _, tc := range []struct {
		scene, beat, frames string
		want                func(*render.Theme) []color.RGBA
	}{
		// Prefill done: the KV blocks and the first answer token, lit by
		// the beat's spotlight.
		{"prompt", "2", "200", func(t *render.Theme) []color.RGBA { return []color.RGBA{t.Prefill, t.Decode} }},
		// Too many users, while the spill crosses, before the spotlight
		// dims VRAM: weights, users' KV, and the spill in CPU memory.
		{"kvcache", "3", "150", func(t *render.Theme) []color.RGBA { return []color.RGBA{t.Weights, t.Decode, t.Swapped} }},
		// FCFS: chats blocked behind the document.
		{"contention", "2", "160", func(t *render.Theme) []color.RGBA { return []color.RGBA{t.Blocked, t.Prefill, t.Decode} }},
		{"playground", "1", "0", func(t *render.Theme) []color.RGBA { return []color.RGBA{t.Decode, t.Weights} }},
	} {
		for _, size := range []string{"1920x1080", "1280x720"} {
			for _, mode := range []string{"", "-presenter"} {
				shot := filepath.Join(dir, tc.scene+size+mode+".png")
				args := []string{"-scene", tc.scene, "-beat", tc.beat, "-frames", tc.frames, "-ticks", "600", "-window", size, "-screenshot", shot}
				th := dark
				if mode != "" {
					args, th = append(args, mode), presenter
				}
				if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
					t.Fatalf("%s %s %s: %v\n%s", tc.scene, size, mode, err, out)
				}
				img := decodePNG(t, shot)
				if b := img.Bounds(); b.Dx() < 1000 {
					t.Fatalf("%s: %v", shot, b)
				}
				have := map[color.RGBA]bool{}
				b := img.Bounds()
				for y := b.Min.Y; y < b.Max.Y; y += 2 {
					for x := b.Min.X; x < b.Max.X; x += 2 {
						r, g, bb, _ := img.At(x, y).RGBA()
						have[color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bb >> 8), 0xFF}] = true
					}
				}
				for _, c := range append(tc.want(th), th.Background) {
					if !have[c] {
						t.Errorf("%s %s %s: no pixel of %v", tc.scene, size, mode, c)
					}
				}
			}
		}
	}
	// Bad scene and beat values are one line and exit status 2.
	for _, args := range [][]string{{"-scene", "lobby"}, {"-beat", "0"}} {
		out, err := exec.Command(bin, args...).CombinedOutput()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
			t.Errorf("%v: %v\n%s", args, err, out)
		}
	}
}

func decodePNG(t *testing.T, name string) image.Image {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return img
}

// Presenter mode hides the panels, uses the projector theme, and draws no
// text below 24 px at 1920×1080; leaving it restores what was there.
func TestPresenterMode(t *testing.T) {
	g := tourGame(t, "contention", 0)
	g.Do(TogglePresenter)
	if g.panels || g.kit.Theme.Name != "presenter" {
		t.Fatalf("panels %v, theme %s", g.panels, g.kit.Theme.Name)
	}
	for _, name := range sceneNames {
		g.goTo(slicesIndex(sceneNames, name), 0)
		g.Render(ebiten.NewImage(1920, 1080))
		if g.kit.Scale != 1 {
			t.Errorf("%s: scale %g at 1920×1080", name, g.kit.Scale)
		}
		for _, size := range []float64{12, 16, 17, 18, 20, 22} {
			if px := g.kit.Face(size, false).Size; px < 24 {
				t.Errorf("%s: %g-point text drawn at %g px", name, size, px)
			}
		}
	}
	g.Do(TogglePresenter)
	if !g.panels || g.kit.Theme.Name != "dark" || g.kit.MinText != normalText {
		t.Errorf("after presenter mode: panels %v, theme %s, min text %g", g.panels, g.kit.Theme.Name, g.kit.MinText)
	}
}

func slicesIndex(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

// Random tour navigation, presenter mode, policy switches and slider
// extremes in every scene never panic, and every frame draws.
func TestMonkeyTour(t *testing.T) {
	g := tourGame(t, "prompt", 0)
	rng := rand.New(rand.NewPCG(3, 4))
	img := ebiten.NewImage(1280, 720)
	actions := []Action{NextBeat, NextBeat, PrevBeat, SnapBack, Scene1, Scene1 + 1, Scene1 + 2, Scene1 + 3, Scene1 + 8, TogglePresenter,
		NextPolicy, PlayPause, StepForward, StepBack, Slower, Faster, Restart, TogglePanels, ToggleKeys, ToggleTheme}
	pick := func(v []int) int { return v[rng.IntN(len(v))] }
	pickS := func(v []string) string { return v[rng.IntN(len(v))] }
	for i := range 1500 {
		switch rng.IntN(8) {
		case 0:
			g.prompt.SetSetup(lesson.PromptSetup{
				Prompt: pick([]int{-1, 0, lesson.MinPrompt, 777, lesson.MaxPrompt, lesson.MaxPrompt + 1}),
				Output: pick([]int{0, lesson.MinOutput, 33, lesson.MaxOutput, 1 << 20}),
				Model:  pickS(append(modelIDs, "", "nope")), GPU: pickS(append(gpuIDs, "", "nope"))})
		case 1:
			g.kvcache.SetSetup(lesson.KVSetup{
				Users:  pick([]int{-3, 0, lesson.MinUsers, 77, lesson.MaxUsers, lesson.MaxUsers + 1}),
				Tokens: pick([]int{0, lesson.MinTokens, 5000, lesson.MaxTokens, lesson.MaxTokens * 2}),
				Model:  pickS(append(modelIDs, "nope")), GPU: pickS(gpuIDs), Precision: pickS(append(precisionIDs, "fp3"))})
		case 2:
			g.contention.SetPolicy(pickS(append(lesson.ContentionPolicies, "lottery")))
		default:
			g.Do(actions[rng.IntN(len(actions))])
		}
		if err := g.Update(); err != nil {
			t.Fatal(err)
		}
		if i%10 == 0 {
			g.Render(img)
		}
	}
}
