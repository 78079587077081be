process.env.VK_ICD_FILENAMES='/usr/lib/chromium/vk_swiftshader_icd.json';
const { create, globals } = await import('webgpu');
Object.assign(globalThis, globals);
const gpu = create([]);
const a = await gpu.requestAdapter();
console.log(a && a.info, a && a.isFallbackAdapter, a && a.limits.maxStorageBufferBindingSize, [...(a?.features??[])]);
process.exit(0)
