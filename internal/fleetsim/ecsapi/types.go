package ecsapi

import "github.com/ecswin/ecswin/internal/fleetsim/wire"

// Wire shapes of the ECS API (lowerCamel members, as AWS sends them).
// Only the members ecswin and common tools read are modelled.

type listClustersInput struct {
	MaxResults *int32 `json:"maxResults"`
	NextToken  string `json:"nextToken"`
}

type listClustersOutput struct {
	ClusterArns []string `json:"clusterArns"`
	NextToken   string   `json:"nextToken,omitempty"`
}

type describeClustersInput struct {
	Clusters []string `json:"clusters"`
	Include  []string `json:"include"`
}

type clusterJSON struct {
	ClusterArn                        string `json:"clusterArn"`
	ClusterName                       string `json:"clusterName"`
	Status                            string `json:"status"`
	RegisteredContainerInstancesCount int    `json:"registeredContainerInstancesCount"`
	RunningTasksCount                 int    `json:"runningTasksCount"`
	PendingTasksCount                 int    `json:"pendingTasksCount"`
	ActiveServicesCount               int    `json:"activeServicesCount"`
}

type failure struct {
	Arn    string `json:"arn,omitempty"`
	Reason string `json:"reason"`
	Detail string `json:"detail,omitempty"`
}

type describeClustersOutput struct {
	Clusters []clusterJSON `json:"clusters"`
	Failures []failure     `json:"failures"`
}

type listContainerInstancesInput struct {
	Cluster    string `json:"cluster"`
	Filter     string `json:"filter"`
	MaxResults *int32 `json:"maxResults"`
	NextToken  string `json:"nextToken"`
	Status     string `json:"status"`
}

type listContainerInstancesOutput struct {
	ContainerInstanceArns []string `json:"containerInstanceArns"`
	NextToken             string   `json:"nextToken,omitempty"`
}

type describeContainerInstancesInput struct {
	Cluster            string   `json:"cluster"`
	ContainerInstances []string `json:"containerInstances"`
	Include            []string `json:"include"`
}

type attributeJSON struct {
	Name       string `json:"name"`
	Value      string `json:"value,omitempty"`
	TargetType string `json:"targetType,omitempty"`
	TargetID   string `json:"targetId,omitempty"`
}

type resourceJSON struct {
	Name           string   `json:"name"`
	Type           string   `json:"type"`
	IntegerValue   int32    `json:"integerValue"`
	LongValue      int64    `json:"longValue"`
	DoubleValue    float64  `json:"doubleValue"`
	StringSetValue []string `json:"stringSetValue,omitempty"`
}

type versionInfoJSON struct {
	AgentVersion  string `json:"agentVersion"`
	AgentHash     string `json:"agentHash"`
	DockerVersion string `json:"dockerVersion"`
}

type containerInstanceJSON struct {
	ContainerInstanceArn string          `json:"containerInstanceArn"`
	Ec2InstanceID        string          `json:"ec2InstanceId"`
	Version              int64           `json:"version"`
	VersionInfo          versionInfoJSON `json:"versionInfo"`
	RemainingResources   []resourceJSON  `json:"remainingResources"`
	RegisteredResources  []resourceJSON  `json:"registeredResources"`
	Status               string          `json:"status"`
	AgentConnected       bool            `json:"agentConnected"`
	RunningTasksCount    int             `json:"runningTasksCount"`
	PendingTasksCount    int             `json:"pendingTasksCount"`
	Attributes           []attributeJSON `json:"attributes"`
	RegisteredAt         *wire.Epoch     `json:"registeredAt,omitempty"`
}

type describeContainerInstancesOutput struct {
	ContainerInstances []containerInstanceJSON `json:"containerInstances"`
	Failures           []failure               `json:"failures"`
}

type listTasksInput struct {
	Cluster           string `json:"cluster"`
	ContainerInstance string `json:"containerInstance"`
	Family            string `json:"family"`
	DesiredStatus     string `json:"desiredStatus"`
	StartedBy         string `json:"startedBy"`
	ServiceName       string `json:"serviceName"`
	LaunchType        string `json:"launchType"`
	MaxResults        *int32 `json:"maxResults"`
	NextToken         string `json:"nextToken"`
}

type listTasksOutput struct {
	TaskArns  []string `json:"taskArns"`
	NextToken string   `json:"nextToken,omitempty"`
}

type describeTasksInput struct {
	Cluster string   `json:"cluster"`
	Tasks   []string `json:"tasks"`
	Include []string `json:"include"`
}

type networkBindingJSON struct {
	BindIP        string `json:"bindIP"`
	ContainerPort int32  `json:"containerPort"`
	HostPort      int32  `json:"hostPort"`
	Protocol      string `json:"protocol"`
}

type taskContainerJSON struct {
	ContainerArn    string               `json:"containerArn"`
	TaskArn         string               `json:"taskArn"`
	Name            string               `json:"name"`
	Image           string               `json:"image,omitempty"`
	LastStatus      string               `json:"lastStatus"`
	NetworkBindings []networkBindingJSON `json:"networkBindings"`
	HealthStatus    string               `json:"healthStatus"`
}

type overridesJSON struct {
	ContainerOverrides []struct{} `json:"containerOverrides"`
	TaskRoleArn        string     `json:"taskRoleArn,omitempty"`
}

type attachmentJSON struct {
	ID     string `json:"id"`
	Type   string `json:"type"`
	Status string `json:"status"`
}

type taskJSON struct {
	TaskArn              string              `json:"taskArn"`
	ClusterArn           string              `json:"clusterArn"`
	TaskDefinitionArn    string              `json:"taskDefinitionArn"`
	ContainerInstanceArn string              `json:"containerInstanceArn"`
	LastStatus           string              `json:"lastStatus"`
	DesiredStatus        string              `json:"desiredStatus"`
	LaunchType           string              `json:"launchType"`
	Group                string              `json:"group"`
	Version              int64               `json:"version"`
	Connectivity         string              `json:"connectivity"`
	AvailabilityZone     string              `json:"availabilityZone"`
	CreatedAt            *wire.Epoch         `json:"createdAt,omitempty"`
	StartedAt            *wire.Epoch         `json:"startedAt,omitempty"`
	StoppedAt            *wire.Epoch         `json:"stoppedAt,omitempty"`
	StoppedReason        string              `json:"stoppedReason,omitempty"`
	Overrides            overridesJSON       `json:"overrides"`
	Containers           []taskContainerJSON `json:"containers"`
	Attachments          []attachmentJSON    `json:"attachments"`
}

type describeTasksOutput struct {
	Tasks    []taskJSON `json:"tasks"`
	Failures []failure  `json:"failures"`
}

type describeTaskDefinitionInput struct {
	TaskDefinition string   `json:"taskDefinition"`
	Include        []string `json:"include"`
}

type portMappingJSON struct {
	ContainerPort int32  `json:"containerPort"`
	HostPort      int32  `json:"hostPort"`
	Protocol      string `json:"protocol"`
}

type containerDefinitionJSON struct {
	Name         string            `json:"name"`
	Image        string            `json:"image"`
	CPU          int32             `json:"cpu"`
	Memory       int32             `json:"memory"`
	Essential    bool              `json:"essential"`
	PortMappings []portMappingJSON `json:"portMappings"`
}

type taskDefinitionJSON struct {
	TaskDefinitionArn       string                    `json:"taskDefinitionArn"`
	Family                  string                    `json:"family"`
	Revision                int                       `json:"revision"`
	Status                  string                    `json:"status"`
	NetworkMode             string                    `json:"networkMode,omitempty"`
	TaskRoleArn             string                    `json:"taskRoleArn,omitempty"`
	ContainerDefinitions    []containerDefinitionJSON `json:"containerDefinitions"`
	RequiresAttributes      []attributeJSON           `json:"requiresAttributes"`
	Compatibilities         []string                  `json:"compatibilities"`
	RequiresCompatibilities []string                  `json:"requiresCompatibilities"`
	RegisteredAt            *wire.Epoch               `json:"registeredAt,omitempty"`
	RegisteredBy            string                    `json:"registeredBy"`
}

type describeTaskDefinitionOutput struct {
	TaskDefinition taskDefinitionJSON `json:"taskDefinition"`
	Tags           []struct{}         `json:"tags"`
}

type listTaskDefinitionsInput struct {
	FamilyPrefix string `json:"familyPrefix"`
	Status       string `json:"status"`
	Sort         string `json:"sort"`
	MaxResults   *int32 `json:"maxResults"`
	NextToken    string `json:"nextToken"`
}

type listTaskDefinitionsOutput struct {
	TaskDefinitionArns []string `json:"taskDefinitionArns"`
	NextToken          string   `json:"nextToken,omitempty"`
}

type listAttributesInput struct {
	Cluster        string `json:"cluster"`
	TargetType     string `json:"targetType"`
	AttributeName  string `json:"attributeName"`
	AttributeValue string `json:"attributeValue"`
	MaxResults     *int32 `json:"maxResults"`
	NextToken      string `json:"nextToken"`
}

type listAttributesOutput struct {
	Attributes []attributeJSON `json:"attributes"`
	NextToken  string          `json:"nextToken,omitempty"`
}

type attributesInput struct {
	Cluster    string          `json:"cluster"`
	Attributes []attributeJSON `json:"attributes"`
}

type attributesOutput struct {
	Attributes []attributeJSON `json:"attributes"`
}

type listServicesInput struct {
	Cluster            string `json:"cluster"`
	LaunchType         string `json:"launchType"`
	MaxResults         *int32 `json:"maxResults"`
	NextToken          string `json:"nextToken"`
	SchedulingStrategy string `json:"schedulingStrategy"`
}

type listServicesOutput struct {
	ServiceArns []string `json:"serviceArns"`
	NextToken   string   `json:"nextToken,omitempty"`
}

type describeServicesInput struct {
	Cluster  string   `json:"cluster"`
	Services []string `json:"services"`
	Include  []string `json:"include"`
}

type serviceJSON struct {
	ServiceArn         string             `json:"serviceArn"`
	ServiceName        string             `json:"serviceName"`
	ClusterArn         string             `json:"clusterArn"`
	Status             string             `json:"status"`
	TaskDefinition     string             `json:"taskDefinition"`
	DesiredCount       int                `json:"desiredCount"`
	RunningCount       int                `json:"runningCount"`
	PendingCount       int                `json:"pendingCount"`
	LaunchType         string             `json:"launchType"`
	SchedulingStrategy string             `json:"schedulingStrategy"`
	CreatedAt          *wire.Epoch        `json:"createdAt,omitempty"`
	Deployments        []deploymentJSON   `json:"deployments"`
	Events             []serviceEventJSON `json:"events"`
}

type deploymentJSON struct {
	ID                 string      `json:"id"`
	Status             string      `json:"status"`
	TaskDefinition     string      `json:"taskDefinition"`
	DesiredCount       int         `json:"desiredCount"`
	PendingCount       int         `json:"pendingCount"`
	RunningCount       int         `json:"runningCount"`
	FailedTasks        int         `json:"failedTasks"`
	CreatedAt          *wire.Epoch `json:"createdAt,omitempty"`
	UpdatedAt          *wire.Epoch `json:"updatedAt,omitempty"`
	LaunchType         string      `json:"launchType"`
	RolloutState       string      `json:"rolloutState"`
	RolloutStateReason string      `json:"rolloutStateReason"`
}

type serviceEventJSON struct {
	ID        string      `json:"id"`
	CreatedAt *wire.Epoch `json:"createdAt,omitempty"`
	Message   string      `json:"message"`
}

type describeServicesOutput struct {
	Services []serviceJSON `json:"services"`
	Failures []failure     `json:"failures"`
}
