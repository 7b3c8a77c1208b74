package fleet

import (
	"maps"
	"slices"
)

// TagName is the EC2 tag every instance has (unless its group sets it):
// "ECS Instance - <cluster>", as the ECS console's Auto Scaling groups
// name their instances.
const TagName = "Name"

// Tag returns the value of the instance's EC2 tag key.
func (i *Instance) Tag(key string) (string, bool) {
	if v, ok := i.group.spec.Tags[key]; ok {
		return v, true
	}
	if key == TagName {
		return "ECS Instance - " + i.Cluster.Name, true
	}
	return "", false
}

// TagKeys lists the instance's EC2 tag keys in order.
func (i *Instance) TagKeys() []string {
	keys := slices.Sorted(maps.Keys(i.group.spec.Tags))
	if !slices.Contains(keys, TagName) {
		keys = append([]string{TagName}, keys...)
	}
	return keys
}
