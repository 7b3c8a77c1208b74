package fleetsim

import (
	"container/heap"
	"math/rand/v2"
	"time"

	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
	"github.com/ecswin/ecswin/internal/fleetsim/scenario"
)

// churn replaces tasks on the Windows hosts at exponential intervals
// (scenario.Churn), played lazily like every clock-driven change.
type churn struct {
	spec scenario.Churn
	rng  *rand.Rand
	due  churnQueue
	// started counts replacements, started without the route lacking.
	started, lacking int
}

type churnAt struct {
	at   time.Time
	inst *fleet.Instance
}

type churnQueue []churnAt

func (q churnQueue) Len() int           { return len(q) }
func (q churnQueue) Less(i, j int) bool { return q[i].at.Before(q[j].at) }
func (q churnQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *churnQueue) Push(x any)        { *q = append(*q, x.(churnAt)) }
func (q *churnQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

func newChurn(spec scenario.Churn, insts []*fleet.Instance, start time.Time, seed uint64) *churn {
	c := &churn{spec: spec, rng: rand.New(rand.NewPCG(seed, seed^0xc4c4))}
	for _, i := range insts {
		c.due = append(c.due, churnAt{at: start.Add(c.interval()), inst: i})
	}
	heap.Init(&c.due)
	return c
}

func (c *churn) interval() time.Duration {
	return time.Duration(c.rng.ExpFloat64() * float64(c.spec.Every))
}

func (c *churn) next() (time.Time, bool) {
	if c == nil || len(c.due) == 0 {
		return time.Time{}, false
	}
	return c.due[0].at, true
}

// fire replaces a task on every host due at t (the earliest due time).
func (c *churn) fire(t time.Time, f *fleet.Fleet) {
	for c != nil && len(c.due) > 0 && !c.due[0].at.After(t) {
		d := heap.Pop(&c.due).(churnAt)
		if d.inst.Status == fleet.StatusInactive {
			continue
		}
		withRoute := c.rng.Float64() >= c.spec.WithoutRoute
		if task := f.ReplaceNATTask(d.inst, withRoute); task != nil {
			c.started++
			if !withRoute && !task.Def.BootstrapsItself {
				c.lacking++
			}
		}
		heap.Push(&c.due, churnAt{at: d.at.Add(c.interval()), inst: d.inst})
	}
}
