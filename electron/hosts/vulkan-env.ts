import { existsSync } from 'node:fs';

/** SwiftShader's Vulkan driver, shipped with Debian's chromium: the software GPU of machines without one. */
export const swiftShaderIcd = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * Points the Vulkan loader at SwiftShader unless a driver is configured (VK_ICD_FILENAMES or
 * VK_DRIVER_FILES, e.g. a real GPU's) or SwiftShader is not installed. Must run on the process's
 * main thread before any thread loads Dawn: the loader reads the real process environment, which
 * a worker's `process.env` (a copy) cannot change.
 */
export function useSoftwareVulkanUnlessConfigured(env: NodeJS.ProcessEnv = process.env): void {
  if (env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES || !existsSync(swiftShaderIcd)) return;
  env.VK_ICD_FILENAMES = swiftShaderIcd;
}
