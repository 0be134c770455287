# The silo image (CPU): `lethe serve` on 0.0.0.0:8080 with the blas backend on OpenBLAS. Build from the
# repository root where NuGet.org is reachable:
#
#   docker build -t lethe-silo:1.0.0 .
#   docker run --rm -p 8080:8080 -e LETHE_API_KEYS=change-me -v "$PWD/data:/data:ro" lethe-silo:1.0.0
#
# `serve` refuses a non-loopback address without API keys (LETHE_API_KEYS or Lethe__Api__Keys__0): the container
# exits at once with one `lethe:` line unless they are set. PostgreSQL clustering: Lethe__Store__Provider=postgres
# and Lethe__Store__ConnectionString (see deploy/k8s). Dockerfile.gpu is the same image on CUDA: keep the two in step
# (base versions, user, ports, entrypoint).

FROM mcr.microsoft.com/dotnet/sdk:10.0.401-noble AS build
WORKDIR /src
COPY . .
# The CPU image runs the blas backend only: libtorch's native files (LetheWithoutLibTorch) stay out of it.
RUN dotnet publish src/Silo/Lethe.Silo.csproj -c Release -r linux-x64 --self-contained false -o /app \
      -p:LetheWithoutLibTorch=true

FROM mcr.microsoft.com/dotnet/aspnet:10.0.12-noble
RUN apt-get update \
 && apt-get install -y --no-install-recommends libopenblas0-pthread \
 && rm -rf /var/lib/apt/lists/*

# MNIST / Fashion-MNIST IDX files are mounted here (nothing is downloaded).
ENV Lethe__Data__Root=/data \
    DOTNET_RUNNING_IN_CONTAINER=true

WORKDIR /app
COPY --from=build /app .
# The images' non-root user `app` (uid 1654).
USER $APP_UID
EXPOSE 8080 11111 30000
ENTRYPOINT ["dotnet", "lethe.dll"]
CMD ["serve", "--urls", "http://0.0.0.0:8080"]
