namespace Draw.Domain.Work;

/// <summary>The kinds of change-feed events, dotted as area.what.</summary>
public static class EventKinds
{
    public const string WorkerStarted = "worker.started";
    public const string WorkerStopped = "worker.stopped";
    public const string WorkerPong = "worker.pong";
    public const string CommandQueued = "command.queued";
    public const string CommandFailed = "command.failed";
    public const string UserCreated = "user.created";
    public const string UserChanged = "user.changed";
    public const string SeriesCreated = "series.created";
    public const string SeriesInstancesArrived = "series.instances";
    public const string SeriesLateInstance = "series.late-instance";
    public const string SeriesInstanceConflict = "series.conflict";
    public const string SeriesStatusChanged = "series.status";
    public const string DatastoreScanned = "datastore.scanned";
    public const string DatastoreSaved = "datastore.saved";
    public const string DatastoreTested = "datastore.tested";
    public const string SchedulePaused = "schedule.paused";
    public const string ScheduleResumed = "schedule.resumed";
    public const string ScheduleApplied = "schedule.applied";
    public const string BackendTested = "backend.tested";
    public const string UploadReceived = "upload.received";
    public const string UploadExtracted = "upload.extracted";
    public const string UploadFailed = "upload.failed";
    public const string AssociationEnded = "listener.association";
    public const string CatalogueRefreshed = "catalogue.refreshed";
    public const string TemplateSaved = "template.saved";
    public const string TemplateDeleted = "template.deleted";
    public const string RuleGroupSaved = "rules.group-saved";
    public const string RuleGroupDeleted = "rules.group-deleted";
    public const string SeriesMatched = "series.matched";
    public const string SeriesTemplateChosen = "series.template-chosen";
    public const string SeriesCancelled = "series.cancelled";
    public const string SeriesRetried = "series.retried";
    public const string JobCreated = "job.created";
    public const string JobStep = "job.step";
    public const string JobRetrying = "job.retrying";
    public const string JobFailed = "job.failed";
    public const string JobCancelled = "job.cancelled";
    public const string JobResumed = "job.resumed";
    public const string DestinationSaved = "destination.saved";
    public const string DestinationDeleted = "destination.deleted";
    public const string DestinationTested = "destination.tested";
    public const string ExportRuleSaved = "export.rule-saved";
    public const string ExportRuleDeleted = "export.rule-deleted";
    public const string ExportQueued = "export.queued";
    public const string ExportDelivered = "export.delivered";
    public const string ExportRetrying = "export.retrying";
    public const string ExportFailed = "export.failed";
    public const string ExportRequested = "export.requested";
    public const string HarvestScanned = "harvest.scanned";
}
