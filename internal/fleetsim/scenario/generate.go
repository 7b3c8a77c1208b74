package scenario

import "fmt"

// Size describes a generated fleet for benchmarks and load tests.
type Size struct {
	// WindowsInstances is spread evenly over Clusters clusters.
	WindowsInstances int
	TasksPerInstance int
	// Clusters defaults to 1 per 2,500 instances (at least 1).
	Clusters int
	Seed     uint64
	// Drift applies to every group (one per OS family, four per cluster):
	// counts such as DeadProxies are per group. Zero means a clean fleet.
	Drift Drift
}

// Generate builds a scenario of the given size with a realistic mix of
// Windows OS families and task definitions (NAT and awsvpc, with and
// without task roles). Building the fleet from it is cheap: see fleet.Build.
func Generate(size Size) *Scenario {
	clusters := size.Clusters
	if clusters <= 0 {
		clusters = max(1, size.WindowsInstances/2500)
	}
	s := &Scenario{
		Name: fmt.Sprintf("generated-%d", size.WindowsInstances),
		Seed: size.Seed,
		TaskDefinitions: []TaskDefinition{
			{Family: "web", TaskRoleArn: "arn:aws:iam::123456789012:role/web-task",
				Containers: []Container{{Name: "web", PortMappings: []PortMapping{{ContainerPort: 80}}}}},
			{Family: "api", TaskRoleArn: "arn:aws:iam::123456789012:role/api-task",
				Containers: []Container{{Name: "api", PortMappings: []PortMapping{{ContainerPort: 8080}}}}},
			{Family: "worker", NetworkMode: "awsvpc", TaskRoleArn: "arn:aws:iam::123456789012:role/worker-task",
				Containers: []Container{{Name: "worker"}}},
			{Family: "batch", Containers: []Container{{Name: "batch"}}},
		},
	}
	families := []string{Windows2019Full, Windows2022Core, Windows2022Full, Windows2019Core}
	mix := map[string]int{"web": 4, "api": 3, "worker": 2, "batch": 1}
	left := size.WindowsInstances
	for c := range clusters {
		n := left / (clusters - c)
		left -= n
		cl := Cluster{Name: fmt.Sprintf("windows-%02d", c+1)}
		per := n / len(families)
		for f, fam := range families {
			count := per
			if f == len(families)-1 {
				count = n - per*(len(families)-1)
			}
			if count == 0 {
				continue
			}
			cl.Groups = append(cl.Groups, Group{
				Count: count, OSFamily: fam, TaskRoleShare: 1, TaskENIShare: 0.5,
				TasksPerInstance: size.TasksPerInstance, TaskMix: mix, Drift: size.Drift,
			})
		}
		s.Clusters = append(s.Clusters, cl)
	}
	s.applyDefaults()
	return s
}
