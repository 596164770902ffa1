package sim

import (
	"fmt"
	"strings"
	"time"
)

// Interconnect is the link that carries a prompt's KV from a prefill
// replica to a decode replica when the two phases run on separate GPUs.
// Every GPU of a tensor-parallel group holds 1/TP of the KV and sends it
// over its own link, so a replica's bandwidth is BW × TP; copies from one
// prefill replica queue first in first out, as on the host link.
type Interconnect struct {
	Name        string
	Description string
	BW          float64       // bytes per second from one GPU, one way (0: the GPU's own peer link)
	Latency     time.Duration // added to every copy: the first byte's trip
}

// The line rates of the links, one way: inside a server, the GPU's peer
// link (NVLink 4 is 900 GB/s per H100 over both directions); between
// servers, a NIC per GPU, InfiniBand NDR at 400 Gb/s or RoCE at 100 Gb/s.
// Latencies are those of one RDMA write across the fabric.
var interconnects = []Interconnect{
	{"nvlink", "Inside one server: the GPUs' own peer link (NVLink 4 on an H100: 450 GB/s each way; PCIe 4 on an L4), 2 µs", 0, 2 * time.Microsecond},
	{"ib400", "InfiniBand NDR between servers: 400 Gb/s (50 GB/s) per GPU, 5 µs", 50e9, 5 * time.Microsecond},
	{"roce100", "RoCE over 100 Gb Ethernet: 12.5 GB/s per GPU, 20 µs", 12.5e9, 20 * time.Microsecond},
}

// DefaultInterconnect links the replicas of a disaggregated cluster when
// none is named.
const DefaultInterconnect = "ib400"

// Interconnects lists the presets.
func Interconnects() []Interconnect { return append([]Interconnect(nil), interconnects...) }

// LookupInterconnect finds a preset by name.
func LookupInterconnect(name string) (Interconnect, error) {
	names := make([]string, len(interconnects))
	for i, ic := range interconnects {
		if ic.Name == name {
			return ic, nil
		}
		names[i] = ic.Name
	}
	return Interconnect{}, fmt.Errorf("interconnect: %q is not one of %s", name, strings.Join(names, ", "))
}

// Bandwidth is the link's rate from one GPU of cfg, one way.
func (ic Interconnect) Bandwidth(cfg *Config) float64 {
	if ic.BW == 0 {
		return float64(cfg.GPU.P2PBW)
	}
	return ic.BW
}
