package ssmapi

import "github.com/ecswin/ecswin/internal/fleetsim/wire"

// Wire shapes of the SSM API (UpperCamel members, as AWS sends them).

type filterJSON struct {
	Key    string   `json:"Key"`
	Values []string `json:"Values"`
}

type infoFilterJSON struct {
	Key      string   `json:"key"`
	ValueSet []string `json:"valueSet"`
}

type describeInstanceInformationInput struct {
	InstanceInformationFilterList []infoFilterJSON `json:"InstanceInformationFilterList"`
	Filters                       []filterJSON     `json:"Filters"`
	MaxResults                    *int32           `json:"MaxResults"`
	NextToken                     string           `json:"NextToken"`
}

type instanceInformationJSON struct {
	InstanceID       string      `json:"InstanceId"`
	PingStatus       string      `json:"PingStatus"`
	LastPingDateTime *wire.Epoch `json:"LastPingDateTime,omitempty"`
	AgentVersion     string      `json:"AgentVersion"`
	IsLatestVersion  bool        `json:"IsLatestVersion"`
	PlatformType     string      `json:"PlatformType"`
	PlatformName     string      `json:"PlatformName"`
	PlatformVersion  string      `json:"PlatformVersion"`
	ResourceType     string      `json:"ResourceType"`
	ComputerName     string      `json:"ComputerName"`
	IPAddress        string      `json:"IPAddress"`
}

type describeInstanceInformationOutput struct {
	InstanceInformationList []instanceInformationJSON `json:"InstanceInformationList"`
	NextToken               string                    `json:"NextToken,omitempty"`
}

type createDocumentInput struct {
	Content        string `json:"Content"`
	Name           string `json:"Name"`
	DocumentType   string `json:"DocumentType"`
	DocumentFormat string `json:"DocumentFormat"`
	VersionName    string `json:"VersionName"`
	TargetType     string `json:"TargetType"`

	documentTags // tags.go
}

type documentParameterJSON struct {
	Name         string `json:"Name"`
	Type         string `json:"Type"`
	Description  string `json:"Description,omitempty"`
	DefaultValue string `json:"DefaultValue,omitempty"`
}

type documentDescriptionJSON struct {
	Name            string                  `json:"Name"`
	Hash            string                  `json:"Hash"`
	HashType        string                  `json:"HashType"`
	Owner           string                  `json:"Owner"`
	CreatedDate     *wire.Epoch             `json:"CreatedDate,omitempty"`
	Status          string                  `json:"Status"`
	DocumentVersion string                  `json:"DocumentVersion"`
	VersionName     string                  `json:"VersionName,omitempty"`
	Description     string                  `json:"Description,omitempty"`
	Parameters      []documentParameterJSON `json:"Parameters"`
	PlatformTypes   []string                `json:"PlatformTypes"`
	DocumentType    string                  `json:"DocumentType"`
	SchemaVersion   string                  `json:"SchemaVersion"`
	LatestVersion   string                  `json:"LatestVersion"`
	DefaultVersion  string                  `json:"DefaultVersion"`
	DocumentFormat  string                  `json:"DocumentFormat"`
	TargetType      string                  `json:"TargetType,omitempty"`
}

type documentDescriptionOutput struct {
	DocumentDescription documentDescriptionJSON `json:"DocumentDescription"`
}

type describeDocumentInput struct {
	Name            string `json:"Name"`
	DocumentVersion string `json:"DocumentVersion"`
	VersionName     string `json:"VersionName"`
}

type describeDocumentOutput struct {
	Document documentDescriptionJSON `json:"Document"`
}

type getDocumentInput struct {
	Name            string `json:"Name"`
	DocumentVersion string `json:"DocumentVersion"`
	VersionName     string `json:"VersionName"`
	DocumentFormat  string `json:"DocumentFormat"`
}

type getDocumentOutput struct {
	Name            string      `json:"Name"`
	CreatedDate     *wire.Epoch `json:"CreatedDate,omitempty"`
	DocumentVersion string      `json:"DocumentVersion"`
	VersionName     string      `json:"VersionName,omitempty"`
	Status          string      `json:"Status"`
	Content         string      `json:"Content"`
	DocumentType    string      `json:"DocumentType"`
	DocumentFormat  string      `json:"DocumentFormat"`
}

type updateDocumentInput struct {
	Content         string `json:"Content"`
	Name            string `json:"Name"`
	DocumentVersion string `json:"DocumentVersion"`
	DocumentFormat  string `json:"DocumentFormat"`
	VersionName     string `json:"VersionName"`
	TargetType      string `json:"TargetType"`
}

type updateDefaultVersionInput struct {
	Name            string `json:"Name"`
	DocumentVersion string `json:"DocumentVersion"`
}

type defaultVersionDescriptionJSON struct {
	Name               string `json:"Name"`
	DefaultVersion     string `json:"DefaultVersion"`
	DefaultVersionName string `json:"DefaultVersionName,omitempty"`
}

type updateDefaultVersionOutput struct {
	Description defaultVersionDescriptionJSON `json:"Description"`
}

type targetJSON struct {
	Key    string   `json:"Key"`
	Values []string `json:"Values"`
}

type sendCommandInput struct {
	DocumentName    string              `json:"DocumentName"`
	DocumentVersion string              `json:"DocumentVersion"`
	InstanceIDs     []string            `json:"InstanceIds"`
	Targets         []targetJSON        `json:"Targets"`
	Parameters      map[string][]string `json:"Parameters"`
	Comment         string              `json:"Comment"`
	TimeoutSeconds  *int32              `json:"TimeoutSeconds"`
	MaxConcurrency  string              `json:"MaxConcurrency"`
	MaxErrors       string              `json:"MaxErrors"`

	documentHashFields // dochash.go
}

type commandJSON struct {
	CommandID             string              `json:"CommandId"`
	DocumentName          string              `json:"DocumentName"`
	DocumentVersion       string              `json:"DocumentVersion"`
	Comment               string              `json:"Comment"`
	ExpiresAfter          *wire.Epoch         `json:"ExpiresAfter,omitempty"`
	Parameters            map[string][]string `json:"Parameters"`
	InstanceIDs           []string            `json:"InstanceIds"`
	Targets               []targetJSON        `json:"Targets"`
	RequestedDateTime     *wire.Epoch         `json:"RequestedDateTime,omitempty"`
	Status                string              `json:"Status"`
	StatusDetails         string              `json:"StatusDetails"`
	MaxConcurrency        string              `json:"MaxConcurrency"`
	MaxErrors             string              `json:"MaxErrors"`
	TargetCount           int                 `json:"TargetCount"`
	CompletedCount        int                 `json:"CompletedCount"`
	ErrorCount            int                 `json:"ErrorCount"`
	DeliveryTimedOutCount int                 `json:"DeliveryTimedOutCount"`
	TimeoutSeconds        int32               `json:"TimeoutSeconds"`
}

type sendCommandOutput struct {
	Command commandJSON `json:"Command"`
}

type commandIDInput struct {
	CommandID   string   `json:"CommandId"`
	InstanceIDs []string `json:"InstanceIds"`
}

type getCommandInvocationInput struct {
	CommandID  string `json:"CommandId"`
	InstanceID string `json:"InstanceId"`
	PluginName string `json:"PluginName"`
}

type getCommandInvocationOutput struct {
	CommandID              string `json:"CommandId"`
	InstanceID             string `json:"InstanceId"`
	Comment                string `json:"Comment"`
	DocumentName           string `json:"DocumentName"`
	DocumentVersion        string `json:"DocumentVersion"`
	PluginName             string `json:"PluginName"`
	ResponseCode           int    `json:"ResponseCode"`
	ExecutionStartDateTime string `json:"ExecutionStartDateTime"`
	ExecutionElapsedTime   string `json:"ExecutionElapsedTime"`
	ExecutionEndDateTime   string `json:"ExecutionEndDateTime"`
	Status                 string `json:"Status"`
	StatusDetails          string `json:"StatusDetails"`
	StandardOutputContent  string `json:"StandardOutputContent"`
	StandardOutputURL      string `json:"StandardOutputUrl"`
	StandardErrorContent   string `json:"StandardErrorContent"`
	StandardErrorURL       string `json:"StandardErrorUrl"`
}

// listInput is ListCommands' input, and most of ListCommandInvocations'.
type listInput struct {
	CommandID  string       `json:"CommandId"`
	InstanceID string       `json:"InstanceId"`
	MaxResults *int32       `json:"MaxResults"`
	NextToken  string       `json:"NextToken"`
	Filters    []listFilter `json:"Filters"`
}

type listInvocationsInput struct {
	listInput
	Details bool `json:"Details"`
}

type listFilter struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type pluginJSON struct {
	Name                   string      `json:"Name"`
	Status                 string      `json:"Status"`
	StatusDetails          string      `json:"StatusDetails"`
	ResponseCode           int         `json:"ResponseCode"`
	ResponseStartDateTime  *wire.Epoch `json:"ResponseStartDateTime,omitempty"`
	ResponseFinishDateTime *wire.Epoch `json:"ResponseFinishDateTime,omitempty"`
	Output                 string      `json:"Output"`
	StandardOutputURL      string      `json:"StandardOutputUrl"`
	StandardErrorURL       string      `json:"StandardErrorUrl"`
}

type invocationJSON struct {
	CommandID         string       `json:"CommandId"`
	InstanceID        string       `json:"InstanceId"`
	InstanceName      string       `json:"InstanceName"`
	Comment           string       `json:"Comment"`
	DocumentName      string       `json:"DocumentName"`
	DocumentVersion   string       `json:"DocumentVersion"`
	RequestedDateTime *wire.Epoch  `json:"RequestedDateTime,omitempty"`
	Status            string       `json:"Status"`
	StatusDetails     string       `json:"StatusDetails"`
	TraceOutput       string       `json:"TraceOutput"`
	StandardOutputURL string       `json:"StandardOutputUrl"`
	StandardErrorURL  string       `json:"StandardErrorUrl"`
	CommandPlugins    []pluginJSON `json:"CommandPlugins"`
}

type listCommandInvocationsOutput struct {
	CommandInvocations []invocationJSON `json:"CommandInvocations"`
	NextToken          string           `json:"NextToken,omitempty"`
}

type listCommandsOutput struct {
	Commands  []commandJSON `json:"Commands"`
	NextToken string        `json:"NextToken,omitempty"`
}
