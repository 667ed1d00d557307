using Keepsake.Ks;

return await KsCli.RunAsync(args);
