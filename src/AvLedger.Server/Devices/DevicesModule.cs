using AvLedger.Core.Devices;

namespace AvLedger.Server.Devices;

/// <summary>Recording devices and the collection stations' keys.</summary>
public static class DevicesModule
{
    public static IServiceCollection AddDevicesModule(this IServiceCollection services) => services.AddScoped<DeviceRegister>().AddScoped<StationKeys>();

    public static IEndpointRouteBuilder MapDevicesModule(this IEndpointRouteBuilder app)
    {
        var feature = app.MapGroup("").WithTags("设备与采集站");
        feature.MapDevices();
        feature.MapStationKeys();
        return app;
    }
}
