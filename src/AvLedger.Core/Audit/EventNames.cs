using AvLedger.Ledger;

namespace AvLedger.Core.Audit;

/// <summary>What each ledgered event is called in Chinese, for documents people read (the evidence list, audit
/// searches): a court reads 入库保存, not record.stored.</summary>
public static class EventNames
{
    static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        [LeafKinds.RecordStored] = "入库保存",
        [LeafKinds.RecordAssigned] = "指定执法人员",
        [LeafKinds.RecordedTimeConfirmed] = "确认录制时间",
        [LeafKinds.RecordView] = "播放查看",
        [LeafKinds.RecordDownload] = "下载（复制）",
        [LeafKinds.RecordThumbnail] = "查看缩略图",
        [LeafKinds.RecordMarker] = "标记重点内容",
        [LeafKinds.RecordRetention] = "设定保存期限",
        [LeafKinds.RecordConfidentiality] = "变更密级",
        [LeafKinds.RecordConfidentialityRefused] = "密级变更未获批准",
        [LeafKinds.LateSaveReason] = "逾期存储说明",
        [LeafKinds.LateSaveAcknowledged] = "逾期存储说明已确认",
        [LeafKinds.LateSaveReturned] = "逾期存储说明被退回",
        [LeafKinds.RecordPurged] = "销毁",
        [LeafKinds.AccessRequested] = "申请调阅",
        [LeafKinds.AccessApproved] = "批准调阅",
        [LeafKinds.AccessRejected] = "不予批准调阅",
        [LeafKinds.AccessRevoked] = "撤销调阅授权",
        [LeafKinds.ProvisionConsulted] = "对外提供征求意见",
        [LeafKinds.SegmentAdded] = "归入执法过程",
        [LeafKinds.SessionCreated] = "建立执法过程",
        [LeafKinds.SessionChanged] = "补充执法过程信息",
        [LeafKinds.InterruptionReported] = "报告中断原因",
        [LeafKinds.NoRecordingReported] = "报告未录制情况",
        [LeafKinds.NoRecordingAcknowledged] = "确认未录制情况",
        [LeafKinds.CaseCreated] = "建立案件",
        [LeafKinds.CaseUpdated] = "更新案件",
        [LeafKinds.CaseStatus] = "变更案件状态",
        [LeafKinds.CaseLinked] = "关联案件",
        [LeafKinds.EnforcementEventImported] = "导入现场执法事件",
        [LeafKinds.PurgeProposed] = "提请销毁",
        [LeafKinds.PurgeApproved] = "批准销毁",
        [LeafKinds.PurgeRejected] = "不予批准销毁",
        [LeafKinds.PurgeCancelled] = "撤回销毁（恢复）",
        [LeafKinds.PurgeWithdrawn] = "撤回销毁提请",
        [LeafKinds.HoldPlaced] = "设置证据保全",
        [LeafKinds.HoldReleased] = "解除证据保全",
        [LeafKinds.RetentionCategoryChanged] = "变更保存期限类别",
        [LeafKinds.DerivativeMade] = "生成派生文件",
        [LeafKinds.ExportSealed] = "封存证据包",
        [LeafKinds.ExportDownloaded] = "下载证据包",
        [LeafKinds.ExportReceipt] = "上传接收回执",
        [LeafKinds.AccountCreated] = "建立账号",
        [LeafKinds.RolesChanged] = "变更角色",
        [LeafKinds.PasswordReset] = "重置密码",
        [LeafKinds.AccountDisabled] = "停用账号",
        [LeafKinds.AccountEnabled] = "启用账号",
        [LeafKinds.SelfGrantRefused] = "拒绝自我授权",
        [LeafKinds.TotpEnabled] = "启用动态口令",
        [LeafKinds.GrantProposed] = "提请授予角色",
        [LeafKinds.GrantConfirmed] = "确认授予角色",
        [LeafKinds.GrantRefused] = "不予授予角色",
        [LeafKinds.GrantWithdrawn] = "撤回角色授予",
        [LeafKinds.StationKeyIssued] = "签发采集站密钥",
        [LeafKinds.StationKeyRevoked] = "吊销采集站密钥",
        [LeafKinds.AuditExported] = "导出审计记录",
        // The audit event of a package download; its leaf is export.downloaded.
        [AuditActions.PackageDownload] = "下载证据包",
    };

    /// <summary>The event's Chinese name; an event kind this version does not know is shown as 其他事项 with its code.</summary>
    public static string Of(string kind) => Names.TryGetValue(kind, out var name) ? name : $"其他事项（{kind}）";

    public static IReadOnlyCollection<string> Known => Names.Keys;
}
